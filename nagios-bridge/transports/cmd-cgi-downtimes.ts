/**
 * Finding Nagios's own downtime ids for a removal through cmd.cgi, which deletes a downtime only by its id: the
 * `statusjson.cgi` beside cmd.cgi (`query=downtimelist&details=true&hostname=...`, Nagios >= 4.0) lists the host's
 * downtimes, and those matching the removal (service, start, comment) are the ones to delete.
 */
import type { RemoveDowntime } from '../types.js';
import type { HttpAnswer } from './http-form-post.js';

/** One downtime as statusjson.cgi shows it. */
export interface NagiosDowntime {
  id: string;
  /** Absent for a host downtime. */
  service?: string;
  start: number;
  comment: string;
}

/** statusjson.cgi's URL path beside cmd.cgi's (`/cgi-bin/nagios4/cmd.cgi` → `/cgi-bin/nagios4/statusjson.cgi`). */
export function statusJsonPath(cmdCgiUrl: string): string {
  const path = new URL(cmdCgiUrl).pathname;
  return `${path.slice(0, path.lastIndexOf('/') + 1)}statusjson.cgi`;
}

/** The query listing `host`'s downtimes with their details. */
export function downtimeListQuery(host: string): string {
  return new URLSearchParams({ query: 'downtimelist', details: 'true', hostname: host }).toString().replace(/\+/g, '%20');
}

/** statusjson.cgi's times are milliseconds (json_object_append_time_t); seconds are taken too. */
const seconds = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return n > 1e11 ? Math.floor(n / 1000) : n;
};

/** Reads statusjson.cgi's answer: the downtimes, or why it is no list of them (an error for the transport's reason). */
export function readDowntimeList(answer: HttpAnswer): { downtimes: NagiosDowntime[] } | { error: string; auth?: boolean } {
  if (answer.status === 401 || answer.status === 403) return { error: `statusjson.cgi refused the user (HTTP ${answer.status})`, auth: true };
  if (answer.status !== 200) return { error: `statusjson.cgi answered HTTP ${answer.status}; cmd.cgi deletes a downtime only by Nagios's id, which the bridge reads there` };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { error: `statusjson.cgi answered something that is not JSON (starting "${answer.body.replace(/\s+/g, ' ').slice(0, 80)}")` };
  }
  const root = json as { result?: { type_code?: unknown; message?: unknown }; data?: { downtimelist?: unknown } };
  if (root.result && root.result.type_code !== 0) return { error: `statusjson.cgi refused the query: ${typeof root.result.message === 'string' ? root.result.message : 'no message'}` };
  const list = root.data?.downtimelist;
  if (!list || typeof list !== 'object' || Array.isArray(list)) return { error: 'statusjson.cgi answered no downtimelist object' };
  const downtimes: NagiosDowntime[] = [];
  for (const [key, raw] of Object.entries(list as Record<string, unknown>)) {
    const d = raw as { downtime_id?: unknown; service_description?: unknown; start_time?: unknown; comment?: unknown };
    const id = typeof d.downtime_id === 'number' || typeof d.downtime_id === 'string' ? String(d.downtime_id) : key;
    if (!/^\d+$/.test(id)) continue;
    downtimes.push({
      id,
      ...(typeof d.service_description === 'string' ? { service: d.service_description } : {}),
      start: seconds(d.start_time),
      comment: typeof d.comment === 'string' ? d.comment : '',
    });
  }
  return { downtimes };
}

/**
 * The downtimes `c` removes, by Nagios's `DEL_DOWNTIME_BY_HOST_NAME` rule: with a service, that service's; without,
 * the host's own and all of its services'; narrowed by `start` and `comment` when given.
 */
export function downtimesToRemove(c: RemoveDowntime, downtimes: readonly NagiosDowntime[]): NagiosDowntime[] {
  return downtimes.filter((d) => (c.service === undefined || d.service === c.service) && (c.start === undefined || d.start === c.start) && (c.comment === undefined || d.comment === c.comment));
}
