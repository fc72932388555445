/** The OpenNebula client's errors: OpenNebula's own error codes, XML-RPC faults and transport failures, each a kind. */
import { AppError, type ErrorCode } from '../common/index.js';

/** What went wrong, as a closed list: the first eight are OpenNebula's reply codes, the rest the transport's. */
export const OPENNEBULA_ERROR_KINDS = [
  'authentication', // 0x100: the session (user:password) was refused
  'authorization', // 0x200: the user may not do this
  'no_such_object', // 0x400
  'wrong_state', // 0x800: the object is not in a state that allows the action
  'bad_parameters', // 0x1000
  'internal', // 0x2000: OpenNebula's own failure
  'allocate', // 0x4000
  'locked', // 0x8000
  'unknown_code', // a failed reply with a code not listed above
  'fault', // an XML-RPC <fault> (an unknown method, a wrong parameter count)
  'http', // the server answered with an HTTP status other than 200
  'timeout', // no complete answer within the call's time bound
  'too_large', // the answer is longer than the size bound
  'network', // no connection (refused, reset, DNS)
  'malformed', // not a methodResponse of the [ok, value, code] shape, or one with a DOCTYPE (entities are never expanded)
] as const;
export type OpenNebulaErrorKind = (typeof OPENNEBULA_ERROR_KINDS)[number];

/** OpenNebula's reply codes (include/Request.h), by kind. */
export const ONE_ERROR_CODES: ReadonlyMap<number, OpenNebulaErrorKind> = new Map([
  [0x100, 'authentication'], [0x200, 'authorization'], [0x400, 'no_such_object'], [0x800, 'wrong_state'],
  [0x1000, 'bad_parameters'], [0x2000, 'internal'], [0x4000, 'allocate'], [0x8000, 'locked'],
]);

/** Which appliance error code a kind maps to, for callers that answer HTTP (a pull's failure is ours to report). */
const APP_CODES: Record<OpenNebulaErrorKind, ErrorCode> = {
  authentication: 'unavailable', authorization: 'unavailable', no_such_object: 'not_found', wrong_state: 'conflict',
  bad_parameters: 'bad_request', internal: 'unavailable', allocate: 'unavailable', locked: 'conflict', unknown_code: 'unavailable',
  fault: 'unavailable', http: 'unavailable', timeout: 'unavailable', too_large: 'unavailable', network: 'unavailable', malformed: 'unavailable',
};

/** A failed OpenNebula call: `kind` says which, `method` which call, `oneCode` OpenNebula's code when it sent one. */
export class OpenNebulaError extends AppError {
  constructor(
    readonly kind: OpenNebulaErrorKind,
    readonly method: string,
    message: string,
    readonly oneCode?: number,
    options?: { cause?: unknown },
  ) {
    super(APP_CODES[kind], message, { kind, method, ...(oneCode !== undefined ? { oneCode } : {}) }, options);
    this.name = 'OpenNebulaError';
  }

  /** A failure worth retrying later unchanged (the network, a timeout, a busy or failing server), as opposed to a refusal. */
  get transient(): boolean {
    return ['timeout', 'network', 'http', 'internal', 'locked'].includes(this.kind);
  }
}
