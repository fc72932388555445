/** The bridge's transports: how results and commands reach a target (Nagios's command file and check-result spool so far). */
export { createCommandFileTransport } from './command-file.js';
export type { CommandFileOptions } from './command-file.js';
export { writeSpoolFile, spoolFile, spoolRecord } from './check-result-spool.js';
export { formatExternalCommand } from './external-commands.js';
export { escapeOutput, formatCommand, packLines, PIPE_BUF, pluginText, UnsendableResult } from './command-format.js';
export type { DeliveryOutcome, Transport } from './transport.js';
