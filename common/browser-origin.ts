/** Whether a browser says a request was started by a page of another origin (`Sec-Fetch-Site`, else `Origin`); scripts send neither. */
import type { IncomingHttpHeaders } from 'node:http';

/** What the check reads of a request: its headers and the host it was sent to (Express's `req.host`). */
export interface BrowserRequest {
  headers: IncomingHttpHeaders;
  host: string;
}

/**
 * True for a request a browser marks as coming from another site or another origin on the same site (a page on
 * localhost:3000 is not the appliance either), and for an opaque `Origin: null`. Unknown `Sec-Fetch-Site` values count
 * as foreign: a browser that sends the header and does not say `same-origin` or `none` (typed URL) gets no trust.
 */
export function fromAnotherOrigin(req: BrowserRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.host;
  } catch {
    return true; // "null" and other opaque origins
  }
}
