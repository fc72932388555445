/**
 * Icinga 2 API requests for the bridge's results and commands (names always bound through `filter_vars`, never spliced
 * into a filter), and the classing of Icinga's answers as delivered, retryable or final.
 */
import type { BridgeCommand, PassiveResult } from '../types.js';
import { delivered, never, retryLater, type DeliveryOutcome } from './transport.js';

/** One API call: `POST /v1/actions/<action>` with this JSON body. */
export interface IcingaRequest {
  action: 'process-check-result' | 'schedule-downtime' | 'remove-downtime' | 'acknowledge-problem' | 'remove-acknowledgement';
  body: Record<string, unknown>;
  /** `host!service` or `host`, for messages. */
  object: string;
}

/** The object a result or command is for: `type` and a filter whose names are variables. */
function objectFilter(host: string, service: string | undefined) {
  return service === undefined
    ? { type: 'Host', filter: 'host.name == bridge_host', filter_vars: { bridge_host: host } }
    : { type: 'Service', filter: 'host.name == bridge_host && service.name == bridge_service', filter_vars: { bridge_host: host, bridge_service: service } };
}

const objectName = (host: string, service: string | undefined) => (service === undefined ? host : `${host}!${service}`);

/**
 * Splits Nagios performance data (`label=value;warn;crit;min;max` items separated by spaces) into Icinga's array,
 * keeping a quoted label with spaces (`'disk usage'=5%`) whole.
 */
export function splitPerfdata(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === "'") quoted = !quoted;
    if (!quoted && /\s/.test(c)) {
      if (current) items.push(current);
      current = '';
    } else current += c;
  }
  if (current) items.push(current);
  return items;
}

/**
 * `process-check-result` for one result: the exit status (a host's UNREACHABLE, 2, is sent as DOWN, 1: Icinga takes
 * only 0 and 1 for hosts and works out reachability itself), output and long output, perfdata as an array, and the
 * original check time as `execution_start` and `execution_end` (a resend sends the same values).
 */
export function checkResultRequest(r: PassiveResult): IcingaRequest {
  const service = r.kind === 'service' ? r.service : undefined;
  return {
    action: 'process-check-result',
    object: objectName(r.host, service),
    body: {
      ...objectFilter(r.host, service),
      exit_status: r.kind === 'host' ? Math.min(r.state, 1) : r.state,
      plugin_output: r.longOutput ? `${r.output}\n${r.longOutput}` : r.output,
      ...(r.perfdata ? { performance_data: splitPerfdata(r.perfdata) } : {}),
      execution_start: r.checkTime,
      execution_end: r.checkTime,
    },
  };
}

/** The request of one command: `schedule-downtime`, `remove-downtime` (on Downtime objects) or `acknowledge-problem`. */
export function commandRequest(c: BridgeCommand): IcingaRequest {
  const object = objectName(c.host, c.service);
  switch (c.action) {
    case 'schedule_downtime':
      return {
        action: 'schedule-downtime',
        object,
        body: {
          ...objectFilter(c.host, c.service),
          start_time: c.start,
          end_time: c.end,
          fixed: c.fixed,
          ...(c.fixed ? {} : { duration: c.duration }),
          author: c.author,
          comment: c.comment,
          ...(c.childHosts === undefined ? {} : { child_options: c.childHosts === 'triggered' ? 'DowntimeTriggeredChildren' : 'DowntimeNonTriggeredChildren' }),
        },
      };
    case 'remove_downtime': {
      const vars: Record<string, unknown> = { bridge_host: c.host };
      const terms = ['downtime.host_name == bridge_host'];
      if (c.downtimeId !== undefined) {
        // A number is the id Nagios-style tools show (Icinga's legacy_id); anything else the downtime's name.
        const legacy = /^\d+$/.test(c.downtimeId);
        terms.push(legacy ? 'downtime.legacy_id == bridge_id' : 'downtime.name == bridge_id');
        vars.bridge_id = legacy ? Number(c.downtimeId) : c.downtimeId;
      }
      // Without a service, every downtime of the host and of its services, as Nagios's DEL_DOWNTIME_BY_HOST_NAME.
      if (c.service !== undefined) {
        terms.push('downtime.service_name == bridge_service');
        vars.bridge_service = c.service;
      }
      if (c.start !== undefined) {
        terms.push('downtime.start_time == bridge_start');
        vars.bridge_start = c.start;
      }
      if (c.comment !== undefined) {
        terms.push('downtime.comment == bridge_comment');
        vars.bridge_comment = c.comment;
      }
      return { action: 'remove-downtime', object, body: { type: 'Downtime', filter: terms.join(' && '), filter_vars: vars } };
    }
    case 'acknowledge':
      return {
        action: 'acknowledge-problem',
        object,
        body: { ...objectFilter(c.host, c.service), author: c.author, comment: c.comment, sticky: c.sticky, notify: c.notify, persistent: c.persistent },
      };
    case 'remove_acknowledgement':
      return { action: 'remove-acknowledgement', object, body: objectFilter(c.host, c.service) };
  }
}

/** What came back for one request: an HTTP status and the body's text, or no answer at all. */
export type IcingaAnswer = { status: number; body: string } | { unreachable: string };

function parsed(body: string): { results?: { code?: unknown; status?: unknown }[]; error?: unknown; status?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Classes Icinga's answer to `req`. Per-result codes are read (Icinga answers HTTP 200 when any result is 200, else
 * 500): 200 applied; 409 final (2.14's "newer check result already present", or an acknowledgement of an object that
 * is OK); 400 and a per-object 403 (passive checks disabled) final; no object (HTTP 404 "No objects found." or no
 * results) retryable, since objects appear after a config deploy (the dead-letter age bounds the wait) — except for
 * `remove-downtime`, where no matching downtime means there is nothing left to remove; 401 and 403 of the whole
 * request (credentials, permissions) retryable, for an admin to fix while results wait; 5xx and no answer retryable.
 */
export function classifyAnswer(req: IcingaRequest, answer: IcingaAnswer, where: string): DeliveryOutcome {
  if ('unreachable' in answer) return retryLater(`Icinga at ${where} did not answer: ${answer.unreachable}`);
  const { status } = answer;
  const json = parsed(answer.body);
  const first = json?.results?.[0];
  const said = typeof first?.status === 'string' ? first.status : typeof json?.status === 'string' ? json.status : answer.body.slice(0, 200);
  const code = typeof first?.code === 'number' ? first.code : undefined;
  const noObject = status === 404 || (json?.results !== undefined && json.results.length === 0);
  if (code === undefined && noObject) {
    if (req.action === 'remove-downtime') return delivered;
    return retryLater(`Icinga has no object ${req.object} (yet): ${said || 'no objects found'}; retried until the object exists or the dead-letter age`);
  }
  if (status === 401) return retryLater(`Icinga refused the API user's credentials (401): ${said}; fix user and password of the target`);
  if (code === undefined && status === 403) return retryLater(`Icinga's API user may not ${req.action} (403): ${said}; grant the permission actions/${req.action}`);
  const c = code ?? status;
  if (c >= 200 && c < 300) return delivered;
  const text = `Icinga answered ${c} for ${req.object}: ${said}`;
  if (c === 409 || c === 400 || c === 403) return never(text);
  return retryLater(text);
}
