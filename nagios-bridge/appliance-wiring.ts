/** What the appliance needs to serve the bridge: its settings with the one-flag quick start, the start/reload check, and the entries' router. */
import express, { type RequestHandler, type Router } from 'express';
import { objectsOfType, type ConfigIssue, type LoadedConfig } from '../grammar/index.js';
import { CMD_CGI_PATHS, cmdCgiRouter, commandsRouter, entrySettings, nrdpRouter } from './entries/index.js';
import type { CommandLog } from './command-log.js';
import { defaultBridgeSettings, type NagiosBridgeSettings } from './settings.js';
import type { SubmitCommands, SubmitResults } from './types.js';
import type { Clock, Logger } from '../common/index.js';

/**
 * Path prefixes whose bodies the entries read themselves (cmd.cgi's form with its own decoding and limit, NRDP's up
 * to 8 MiB): the app's body parsers must skip them, or a parsed body would leave the entries an empty one.
 */
export const NAGIOS_ENTRY_PATHS: readonly string[] = [...CMD_CGI_PATHS, '/nrdp'];

/**
 * The bridge settings of a configuration, without the quick start's target (the bridge adds that itself). With no
 * `NagiosBridge` class but a quick-start command file, cmd.cgi takes results from every user with the operator role,
 * as the appliance's other write endpoints do, and the records stored by `POST /rsv/records` from then on are
 * forwarded too: the flag alone must be enough for RSV, whichever way it sends.
 */
export function bridgeSettingsFor(config: LoadedConfig, commandFile: string | undefined): NagiosBridgeSettings {
  const configured = objectsOfType<NagiosBridgeSettings>(config, 'NagiosBridge')[0]?.value;
  if (configured) return configured;
  const s = defaultBridgeSettings();
  return commandFile ? { ...s, entries: entrySettings({ serviceCommandUsers: ['*'], hostCommandUsers: ['*'] }), rsv: { ...s.rsv, forward: true } } : s;
}

/** Whether the entries take results: some target exists to deliver them to (a class's `<target>` or the quick start). */
export function bridgeActive(settings: NagiosBridgeSettings, commandFile: string | undefined): boolean {
  return settings.targets.length > 0 || commandFile !== undefined;
}

/**
 * A `NagiosBridge` class with no target and no quick start is refused: its entries would answer success for results
 * that nothing delivers. So is a second class: only the first would be read.
 */
export function bridgeConfigProblems(config: LoadedConfig, commandFile: string | undefined): ConfigIssue[] {
  const [first, ...extra] = objectsOfType<NagiosBridgeSettings>(config, 'NagiosBridge');
  if (!first) return [];
  const problems: ConfigIssue[] = [];
  if (!bridgeActive(first.value, commandFile)) {
    const message = `NagiosBridge "${first.name}" defines no <target> and no --nagios-command-file is given: its cmd.cgi and NRDP entries would accept results with nowhere to deliver them`;
    problems.push({ pos: first.cls.pos, severity: 'error', message });
  }
  for (const e of extra) problems.push({ pos: e.cls.pos, severity: 'error', message: `a second NagiosBridge class "${e.name}"; the appliance reads one (merge it into "${first.name}")` });
  return problems;
}

export interface NagiosEntriesOptions {
  submit: SubmitResults;
  /** The commands API (`POST`/`GET /api/v1/nagios/commands`); left out, it is not mounted. */
  submitCommands?: SubmitCommands;
  commands?: Pick<CommandLog, 'list'>;
  access: { authenticate: RequestHandler; requireRole(role: 'operator'): RequestHandler; requireRead: RequestHandler };
  /** The settings in effect, read per request so a reload applies at once. */
  settings: () => NagiosBridgeSettings;
  /** True while some target exists; otherwise the entries' paths fall through to the app's 404, as with no bridge. */
  active: () => boolean;
  clock?: Clock;
  logger?: Logger;
}

/** cmd.cgi, NRDP and the commands API on their paths, answering only while the bridge has a target. */
export function nagiosEntriesRouter(options: NagiosEntriesOptions): Router {
  const entries = () => options.settings().entries;
  const common = { submit: options.submit, settings: entries, clock: options.clock, logger: options.logger };
  const inner = express.Router();
  inner.use(cmdCgiRouter({ ...common, access: options.access }));
  inner.use(nrdpRouter({ ...common, ...(options.submitCommands ? { submitCommands: options.submitCommands } : {}) }));
  if (options.submitCommands && options.commands) {
    inner.use(commandsRouter({ submitCommands: options.submitCommands, commands: options.commands, access: options.access, settings: entries, clock: options.clock }));
  }
  const router = express.Router();
  router.use((req, res, next) => (options.active() ? inner(req, res, next) : next()));
  return router;
}
