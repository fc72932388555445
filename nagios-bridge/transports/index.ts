/** The bridge's transports: how results and commands reach a target (Nagios's command file and check-result spool, Icinga 2's API). */
export { createCommandFileTransport } from './command-file.js';
export type { CommandFileOptions } from './command-file.js';
export { writeSpoolFile, spoolFile, spoolRecord } from './check-result-spool.js';
export { formatExternalCommand } from './external-commands.js';
export { escapeOutput, formatCommand, packLines, PIPE_BUF, pluginText, UnsendableResult } from './command-format.js';
export { createIcingaTransport } from './icinga-api.js';
export type { IcingaTransportOptions } from './icinga-api.js';
export { checkResultRequest, classifyAnswer, commandRequest, splitPerfdata } from './icinga-request.js';
export type { IcingaAnswer, IcingaRequest } from './icinga-request.js';
export type { DeliveryOutcome, Transport } from './transport.js';
