/** NRDP's answers: `<result><status>0|-1</status><message>...</message>` in XML, or the same as JSON when the client used JSON. */
import type { Response } from 'express';

/** One NRDP answer; `output` goes in `meta.output` (NRDP's "N checks processed", or the detail of a refusal). */
export interface NrdpReply {
  status: 0 | -1;
  message: string;
  output?: string;
  extra?: Record<string, string>;
}

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** Sends `reply` with HTTP `status`, as JSON when `json` is set, else as NRDP's XML. */
export function sendNrdp(res: Response, httpStatus: number, reply: NrdpReply, json: boolean): void {
  res.status(httpStatus);
  if (json) {
    res.type('application/json').send(
      JSON.stringify({ result: { status: reply.status, message: reply.message, ...reply.extra, ...(reply.output === undefined ? {} : { meta: { output: reply.output } }) } }),
    );
    return;
  }
  const extra = Object.entries(reply.extra ?? {}).map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>\n`).join('');
  const meta = reply.output === undefined ? '' : `  <meta>\n    <output>${escapeXml(reply.output)}</output>\n  </meta>\n`;
  res
    .type('application/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="utf-8"?>\n<result>\n  <status>${reply.status}</status>\n  <message>${escapeXml(reply.message)}</message>\n${extra}${meta}</result>\n`);
}
