/** The bridge's entries: a cmd.cgi-compatible one (RSV's nagios-consumer), an NRDP-compatible one (NCPA, send_nrdp), and the JSON commands entry (downtimes, acknowledgements). */
export { CMD_CGI_PATHS, cmdCgiRouter } from './cmd-cgi-router.js';
export type { CmdCgiRouterOptions } from './cmd-cgi-router.js';
export { DEFAULT_MAX_OUTPUT_BYTES, ENTRY_ATTRIBUTES, ENTRY_ELEMENTS, entrySettings, readEntrySettings } from './entry-settings.js';
export type { EntrySettings, NrdpToken, SubmitLimits } from './entry-settings.js';
export { NRDP_PATHS, nrdpRouter } from './nrdp-router.js';
export type { NrdpRouterOptions } from './nrdp-router.js';
export { splitPluginOutput } from './check-result-fields.js';
export { COMMANDS_PATH, commandsRouter } from './commands-router.js';
export type { CommandsRouterOptions } from './commands-router.js';
export { MAX_COMMANDS_PER_REQUEST, readCommandsBody } from './commands-body.js';
