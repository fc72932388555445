#!/usr/bin/env node
/** The `appliance` command: wiring only; each command's work lives in its stage. */
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  accessSettingsOf, ConfigLoadError, createApplianceQueryEngine, defaultConfigDir, loadApplianceConfig, loadValidConfig, openMigratedStore,
  prepareDataDir, startAppliance, storeConnectionOf, topologyConfigsOf,
} from '../appliance.js';
import { createTopologyLoader } from '../topology/index.js';
import { readWebsite, renderCsv, renderJson, renderQueryXml } from '../graph-server/index.js';
import { bridgeConfigProblems, bridgeSettingsFor, DEFAULT_NAGIOS_BIN, generateObjectConfig, ObjectConfigRejectedError, writeObjectConfig } from '../nagios-bridge/index.js';
import { checkAccessSettings, createAccess, ROLES, usersFileLine, type Role } from '../access/index.js';
import { AppError, createConsoleLogger, errorMessage, type Logger } from '../common/index.js';
import { formatIssue } from '../grammar/index.js';
import { ACCOUNTING_PARTS, createAccounting, ImportFailed } from '../accounting/index.js';
import { seedDemoData } from '../store/index.js';
import { accountingExportOf, accountingSettingsOf, billCommand, monthsBetween, republishApel } from '../accounting/index.js';

const USAGE = `Usage: appliance [global options] <command> [command options]

Commands:
  serve                        run the appliance (HTTP on --port); seeds demo data into a new embedded store
  demo [--days N] [--scale N] [--seed S]
                               fill the store with deterministic demo Gratia data (default 30 days)
  check-config [--strict]      load the configuration and report every error and warning as file:line:col;
                               exit 1 on an error (--strict: on a warning too)
  query NAME [k=v ...] [--format json|xml|csv]
                               run a configured GraphTool query and print its result (GraphTool XML/CSV or JSON)
  token create NAME --role R (--user U | --service)
                               create an API token for scripts (printed once): for user U of the users file
                               (role at most U's), or a service token tied to no user
  token list | token revoke ID
  user add NAME                add or replace a user in the --users htpasswd file (bcrypt; password on stdin)
  apel republish --from YYYY-MM --to YYYY-MM [--apel-version 0.4|0.2] [--out DIR]
                               write the APEL cloud records of those months (cumulative per VM per month, running
                               VMs included) into the SSM outgoing directory (AccountingExport outgoing_dir, or
                               DATA/apel/outgoing); safe to repeat: APEL replaces a VM's record for a month
  import oneacct FILE [--endpoint NAME] [--now EPOCH]
                               import OpenNebula accounting XML (oneacct -x output, a VM_POOL or a VM document) in one
                               transaction; prints the report, each rejected record with its line and reason; exit 0
                               when every record was imported, 3 when some were rejected (the rest is stored), 1 when
                               the file was refused whole (nothing stored)
  nagios-config [--out FILE] [--nagios-cfg FILE] [--nagios-bin PATH] [--check]
                               write the Nagios object config for every host and service the bridge has seen;
                               with --out, replaces FILE only after nagios4 -v accepts it; without (or --check), prints it
  bill --period YYYY-MM [--by group|user|vo] [--rate-card NAME] [--time-zone ZONE]
                               bill a month of VM usage: a new invoice version for each account whose invoice changed
                               (the first RateCard class, else OpenNebula's showback default; zone: the Accounting class's)

Global options (environment variable in brackets):
  --config DIR   configuration directory (default: the shipped config/) [APPLIANCE_CONFIG]
  --data DIR     data directory, holds the embedded store (default ./data) [APPLIANCE_DATA]
  --port N       HTTP port (default 8080) [APPLIANCE_PORT]
  --users FILE   htpasswd users file [APPLIANCE_USERS_FILE]
  --db URL       store URL overriding DBParam.xml: sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB [APPLIANCE_DB]
  --no-demo      do not seed demo data into a new embedded store
  --nagios-command-file PATH
                 Nagios's external command FIFO: every passive result from the cmd.cgi and NRDP entries is
                 delivered there, with no other configuration [APPLIANCE_NAGIOS_COMMAND_FILE]
  --debug        log debug lines and print stack traces [APPLIANCE_DEBUG=1]
  -h, --help     this text`;

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        users: { type: 'string' },
        db: { type: 'string' },
        'no-demo': { type: 'boolean' },
        'nagios-command-file': { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        days: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        role: { type: 'string' },
        user: { type: 'string' },
        service: { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        'nagios-cfg': { type: 'string' },
        'nagios-bin': { type: 'string' },
        check: { type: 'boolean' },
        strict: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        'apel-version': { type: 'string' },
        endpoint: { type: 'string' },
        now: { type: 'string' },
        period: { type: 'string' },
        by: { type: 'string' },
        'rate-card': { type: 'string' },
        'time-zone': { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`appliance: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
})();

const env = process.env;
const debug = values.debug === true || env.APPLIANCE_DEBUG === '1';
// APPLIANCE_LOG_FORMAT=json: pino's structured lines with timestamps, for a log collector. Otherwise one human line a
// message; `serve` runs for days, so its lines start with the time, while one-shot commands print bare lines.
const logger: Logger = createConsoleLogger(
  debug ? 'debug' : 'info',
  undefined,
  env.APPLIANCE_LOG_FORMAT === 'json' ? 'json' : positionals[0] === 'serve' ? 'stamped' : 'human',
);
const configDir = values.config ?? env.APPLIANCE_CONFIG ?? defaultConfigDir();
const dataOption = values.data ?? env.APPLIANCE_DATA ?? './data';
const usersFile = values.users ?? env.APPLIANCE_USERS_FILE ?? undefined;
const dbUrl = values.db ?? env.APPLIANCE_DB ?? undefined;
// An empty variable means unset, so a service file can carry the line without turning the bridge on.
const nagiosCommandFile = values['nagios-command-file'] || env.APPLIANCE_NAGIOS_COMMAND_FILE || undefined;

function intOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new AppError('bad_request', `--${name} must be a whole number, not "${raw}"`);
  return Number(raw);
}

/** Loads config and opens the migrated store, for the commands that work on data. */
async function openConfiguredStore() {
  const config = loadValidConfig(configDir, prepareDataDir(dataOption), env);
  const { store } = await openMigratedStore(storeConnectionOf(config, dbUrl), logger);
  return { store, config };
}

async function serve(): Promise<void> {
  const port = intOption('port', values.port ?? env.APPLIANCE_PORT, 8080);
  const app = await startAppliance(port, { configDir, dataDir: dataOption, dbUrl, usersFile, seedDemo: !values['no-demo'], nagiosCommandFile, logger, env });
  logger.info(`Fabric Appliance listening on ${app.url} (store: ${app.store.description}; ${app.loopbackWrites()})`);
  const shutdown = (signal: string) => {
    logger.info(`${signal}: draining requests and closing the store`);
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => {
    app.reload().catch((err: unknown) => logger.error(`reload failed: ${(err as Error).message}`));
  });
}

async function demo(): Promise<void> {
  const { store } = await openConfiguredStore();
  try {
    const summary = await seedDemoData(store, {
      days: intOption('days', values.days, 30),
      scale: intOption('scale', values.scale, 1),
      seed: values.seed ?? 1,
    });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await store.close();
  }
}

async function checkConfig(): Promise<number> {
  const dataDir = prepareDataDir(dataOption);
  const config = loadApplianceConfig(configDir, dataDir, env);
  const issues = [...config.issues, ...readWebsite(config).issues];
  issues.push(...checkAccessSettings(accessSettingsOf(config, usersFile)));
  issues.push(...bridgeConfigProblems(config, nagiosCommandFile));
  // --strict (for CI): every warning is an error, so a site-local name the appliance cannot run fails the check.
  const strict = values.strict === true;
  const shown = strict ? issues.map((i) => ({ ...i, severity: 'error' as const })) : issues;
  for (const i of shown) process.stdout.write(`${formatIssue(i)}\n`);
  const errors = shown.filter((i) => i.severity === 'error').length;
  const promoted = strict ? ` (${issues.filter((i) => i.severity === 'warning').length} of them warnings, errors under --strict)` : '';
  process.stdout.write(`${config.files.length} file(s) checked in ${configDir}: ${errors} error(s)${promoted}, ${issues.length - (strict ? issues.length : errors)} warning(s)\n`);
  return errors ? 1 : 0;
}

const QUERY_FORMATS = ['json', 'xml', 'csv'] as const;

/** `appliance query NAME k=v ...`: runs one query and prints it; exit 1 when the query itself failed. */
async function query(name: string | undefined, pairs: string[]): Promise<number> {
  if (!name) throw new AppError('bad_request', 'query needs a query NAME (check-config lists the configuration; the home page lists the queries)');
  const format = (values.format ?? 'json') as (typeof QUERY_FORMATS)[number];
  if (!QUERY_FORMATS.includes(format)) throw new AppError('bad_request', `--format must be one of ${QUERY_FORMATS.join(', ')}`);
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AppError('bad_request', `query parameters are KEY=VALUE, not "${pair}"`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const { store, config } = await openConfiguredStore();
  const engine = createApplianceQueryEngine(config, store, logger);
  try {
    const result = await engine.runQuery(name, params);
    const text =
      format === 'xml' ? renderQueryXml(result, { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml' })
      : format === 'csv' ? renderCsv(result)
      : renderJson(result);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (result.error) process.stderr.write(`appliance: query ${name} failed: ${result.error}\n`);
    return result.error ? 1 : 0;
  } finally {
    await engine.close();
    await store.close();
  }
}

async function token(action: string | undefined, arg: string | undefined): Promise<void> {
  const { store, config } = await openConfiguredStore();
  try {
    const access = createAccess({ store, settings: accessSettingsOf(config, usersFile) });
    if (action === 'create') {
      if (!arg) throw new AppError('bad_request', 'token create needs a NAME');
      const role = (values.role ?? '') as Role;
      if (!ROLES.includes(role)) throw new AppError('bad_request', `--role must be one of ${ROLES.join(', ')}`);
      // A token acts for a user unless a service token is asked for by name: a typo in --user must not make one.
      if ((values.user === undefined) === (values.service !== true)) {
        throw new AppError('bad_request', 'token create needs either --user U (a user of the users file) or --service (a token tied to no user)');
      }
      const created = await access.tokens.create(arg, values.service ? null : values.user!, role);
      const owner = values.service ? 'service token' : `user ${values.user}`;
      process.stdout.write(`token ${created.id} (${role}, ${owner}): ${created.token}\nKeep it now: it is not shown again.\n`);
    } else if (action === 'list') {
      for (const t of await access.tokens.list()) process.stdout.write(`${JSON.stringify(t)}\n`);
    } else if (action === 'revoke') {
      if (!arg) throw new AppError('bad_request', 'token revoke needs the token ID (see token list)');
      if (!(await access.tokens.revoke(arg))) throw new AppError('not_found', `no token with ID ${arg} (see token list)`);
      process.stdout.write(`token ${arg} revoked\n`);
    } else {
      throw new AppError('bad_request', 'token needs create, list or revoke');
    }
  } finally {
    await store.close();
  }
}

function userAdd(name: string | undefined): void {
  if (!name || name.includes(':')) throw new AppError('bad_request', 'user add needs a NAME without ":"');
  if (!usersFile) throw new AppError('bad_request', 'user add needs --users FILE (or APPLIANCE_USERS_FILE)');
  const password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (!password) throw new AppError('bad_request', 'no password on standard input');
  const existing = existsSync(usersFile) ? readFileSync(usersFile, 'utf8') : '';
  // Other users' lines (and comments) stay as they are; the named user's line is replaced.
  const kept = existing.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(`${name}:`));
  const tmp = `${usersFile}.${process.pid}.tmp`;
  writeFileSync(tmp, [...kept, usersFileLine(name, password)].join('\n') + '\n', { mode: 0o600 });
  renameSync(tmp, usersFile);
  process.stdout.write(`user ${name} written to ${usersFile}; reload the appliance (SIGHUP) to use it\n`);
}

/**
 * `appliance nagios-config`: the object config of every host and service seen. With `--out FILE` (and no `--check`)
 * it replaces FILE only after `nagios4 -v` accepted a config using it; exit 1 with Nagios's words otherwise.
 */
async function nagiosConfig(): Promise<number> {
  const { store, config } = await openConfiguredStore();
  try {
    const settings = bridgeSettingsFor(config, nagiosCommandFile).objects;
    const nagiosCfg = values['nagios-cfg'] ?? settings.nagiosCfg;
    const out = values.out && !values.check ? values.out : undefined;
    if (out && !existsSync(nagiosCfg)) throw new AppError('bad_request', `the Nagios config ${nagiosCfg} does not exist: pass --nagios-cfg with Nagios's main config file (needed to check the new file)`);
    // The configuration's Topology classes and summary files (URLs are fetched by a running appliance only).
    const topology = createTopologyLoader();
    await topology.applyConfig(topologyConfigsOf(config));
    const { text, stats } = await generateObjectConfig({ store, settings, nagiosCfg, outFile: values.out, topology: topology.current() });
    if (!out) {
      process.stdout.write(text);
      return 0;
    }
    try {
      await writeObjectConfig({ text, out, nagiosCfg, nagiosBin: values['nagios-bin'] ?? DEFAULT_NAGIOS_BIN });
    } catch (err) {
      if (!(err instanceof ObjectConfigRejectedError)) throw err;
      logger.error(err.message);
      return 1;
    }
    const skipped = stats.skipped.map((s) => `\n  left out ${s.service === undefined ? `host "${s.host}"` : `service "${s.service}" on "${s.host}"`}: ${s.reason}`).join('');
    logger.info(`${out} written and checked with nagios4 -v: ${stats.hosts} host(s) (${stats.retiredHosts} retired), ${stats.services} service(s) (${stats.retiredServices} retired); hand-written left alone: ${stats.handWrittenHosts} host(s), ${stats.handWrittenServices} service(s)${skipped}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `appliance apel republish`: the APEL messages of a run of months, into the SSM outgoing directory. */
async function apelRepublish(): Promise<number> {
  if (!values.from || !values.to) throw new AppError('bad_request', 'apel republish needs --from YYYY-MM and --to YYYY-MM');
  const version = values['apel-version'] ?? '0.4';
  if (version !== '0.4' && version !== '0.2') throw new AppError('bad_request', `--apel-version must be 0.4 or 0.2, not "${version}"`);
  // Everything that can be wrong with the command is reported before the store is opened and migrated.
  const config = loadValidConfig(configDir, prepareDataDir(dataOption), env);
  const exports = accountingExportOf(config);
  if (!exports) throw new AppError('unprocessable', `no <class type="AccountingExport"> in ${configDir}: APEL records need its site_name`);
  const settings = { ...exports.settings, timeZone: accountingSettingsOf(config).timeZone };
  monthsBetween(values.from, values.to, settings.timeZone);
  const { store } = await openMigratedStore(storeConnectionOf(config, dbUrl), logger);
  try {
    const outgoingDir = values.out ?? exports.outgoingDir ?? join(prepareDataDir(dataOption), 'apel', 'outgoing');
    const report = await republishApel(store, { from: values.from, to: values.to, version, outgoingDir, settings });
    for (const m of report.months) logger.info(`${m.month}: ${m.records} record(s) in ${m.messages.length} message(s)`);
    logger.info(`${report.records} APEL v${version} record(s) in ${report.messages} message(s) written to ${outgoingDir}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `appliance import oneacct FILE`: one OpenNebula document into the accounting store; see USAGE for the exit codes. */
async function importOneacct(kind: string | undefined, file: string | undefined): Promise<number> {
  if (kind !== 'oneacct') throw new AppError('bad_request', 'import needs a kind: import oneacct FILE');
  if (!file) throw new AppError('bad_request', 'import oneacct needs a FILE (oneacct -x output, a VM_POOL or a VM document)');
  if (!existsSync(file)) throw new AppError('bad_request', `import oneacct: no file ${file}`);
  const now = values.now === undefined ? undefined : intOption('now', values.now, 0);
  const { store, config } = await openConfiguredStore();
  try {
    const access = createAccess({ store, settings: accessSettingsOf(config, usersFile) });
    const accounting = createAccounting({
      store, config, parts: ACCOUNTING_PARTS, logger,
      requireRead: access.requireRead, requireOperator: access.requireRole('operator'), requireAdmin: access.requireRole('admin'),
    });
    const endpoint = values.endpoint ?? 'file';
    let report;
    try {
      report = await accounting.import({ endpoint, source: file, stream: createReadStream(file), ...(now !== undefined ? { now } : {}) });
    } catch (err) {
      if (err instanceof ImportFailed) {
        const line = typeof err.context.line === 'number' ? `${err.context.line}:` : '';
        process.stderr.write(`${file}:${line} ${err.message.replace(/^line \d+: /, '')}\nappliance: nothing of ${file} was imported${err.importId ? ` (import ${err.importId} in the history)` : ''}\n`);
        return 1;
      }
      throw err;
    }
    for (const i of report.issues) {
      const what = `${i.vmId !== null ? `VM ${i.vmId}` : 'a VM'}${i.seq !== null ? ` seq ${i.seq}` : ''}`;
      process.stdout.write(`${file}:${i.line}: ${i.kind === 'rejected' ? 'rejected' : 'warning'}: ${what}: ${i.reason}\n`);
    }
    if (report.issuesTruncated) process.stdout.write(`... more issues: appliance pages /accounting/imports/${report.id}\n`);
    process.stdout.write(
      `import ${report.id} of ${file} (endpoint ${endpoint}, days in ${report.timeZone}): ${report.records} records, ${report.imported} imported, ` +
        `${report.rejected} rejected, ${report.warnings} warnings; ${report.slicesWritten} day slices written (${report.slicesRemoved} replaced)\n`,
    );
    return report.rejected > 0 ? 3 : 0;
  } finally {
    await store.close();
  }
}

async function bill(): Promise<number> {
  const { store, config } = await openConfiguredStore();
  try {
    const { text } = await billCommand(store, config, {
      period: values.period, by: values.by, rateCard: values['rate-card'], timeZone: values['time-zone'] ?? accountingSettingsOf(config).timeZone, now: Math.floor(Date.now() / 1000),
    });
    process.stdout.write(text);
    return 0;
  } finally {
    await store.close();
  }
}

async function main(): Promise<number> {
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  switch (command) {
    case 'serve':
      await serve();
      return -1;
    case 'demo':
      await demo();
      return 0;
    case 'check-config':
      return checkConfig();
    case 'query':
      return query(rest[0], rest.slice(1));
    case 'token':
      await token(rest[0], rest[1]);
      return 0;
    case 'nagios-config':
      return nagiosConfig();
    case 'apel':
      if (rest[0] !== 'republish') throw new AppError('bad_request', 'apel needs republish');
      return apelRepublish();
    case 'import':
      return importOneacct(rest[0], rest[1]);
    case 'bill':
      return bill();
    case 'user':
      if (rest[0] !== 'add') throw new AppError('bad_request', 'user needs add');
      userAdd(rest[1]);
      return 0;
    case undefined:
      process.stderr.write(`${USAGE}\n`);
      return 2;
    default:
      process.stderr.write(`appliance: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigLoadError) {
      for (const i of err.issues) process.stderr.write(`${formatIssue(i)}\n`);
      process.stderr.write(`appliance: ${err.issues.length} configuration error(s); nothing was started\n`);
    } else {
      process.stderr.write(`appliance: ${errorMessage(err)}\n`);
    }
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
