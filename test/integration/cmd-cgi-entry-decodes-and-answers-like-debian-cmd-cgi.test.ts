/** The cmd.cgi entry beside Debian's real cmd.cgi (run as a CGI): the same requests decode to the same text and get the same answer lines. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { entrySettings, splitPluginOutput } from '../../nagios-bridge/entries/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { rsvQuery, startEntriesApp, type EntriesApp } from '../nagios-bridge/support/entries-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { serviceMissing } from '../support/services.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const CMD_CGI = '/usr/lib/cgi-bin/nagios4/cmd.cgi';
const available = existsSync(CMD_CGI);
if (!available) serviceMissing("Debian's cmd.cgi", `${CMD_CGI} is missing: apt-get install -y --no-install-recommends nagios4-cgi`);

const HOST = 'rsv.example.edu';
const SERVICE = 'org.osg.general.ping-host';
const FORM_ID = 'abc123';

/** A private Nagios configuration for the CGI: objects (as the cache the CGIs read), a command "file", cgi.cfg with authorization. */
function nagiosDir(): string {
  const objects = `define command {
  command_name dummy
  command_line /bin/true
}
define timeperiod {
  timeperiod_name always
  alias always
  monday 00:00-24:00
}
define contact {
  contact_name nagiosadmin
  host_notifications_enabled 0
  service_notifications_enabled 0
  host_notification_period always
  service_notification_period always
  host_notification_options n
  service_notification_options n
  host_notification_commands dummy
  service_notification_commands dummy
}
define host {
  host_name ${HOST}
  address 127.0.0.1
  check_command dummy
  max_check_attempts 1
  check_period always
  contacts nagiosadmin
  notification_period always
}
define service {
  host_name ${HOST}
  service_description ${SERVICE}
  check_command dummy
  max_check_attempts 1
  check_interval 5
  retry_interval 1
  check_period always
  notification_period always
  contacts nagiosadmin
}
`;
  const dir = tempDir({ 'objects.cfg': objects, 'objects.cache': objects, 'nagios.cmd': '' });
  writeFileSync(
    join(dir, 'nagios.cfg'),
    [`cfg_file=${dir}/objects.cfg`, `object_cache_file=${dir}/objects.cache`, `command_file=${dir}/nagios.cmd`, 'check_external_commands=1', `lock_file=${dir}/nagios.lock`, `status_file=${dir}/status.dat`, `log_file=${dir}/nagios.log`, ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'cgi.cfg'),
    [`main_config_file=${dir}/nagios.cfg`, 'physical_html_path=/usr/share/nagios4/htdocs', 'url_html_path=/nagios4', 'use_authentication=1']
      .concat(['services', 'hosts', 'service_commands', 'host_commands'].map((k) => `authorized_for_all_${k}=nagiosadmin`))
      .join('\n') + '\n',
  );
  return dir;
}

interface CgiRun {
  page: string;
  /** The command cmd.cgi wrote, without its `[time] ` prefix; undefined when it wrote none. */
  command: string | undefined;
}

/** Runs cmd.cgi once as Apache would, with the CSRF cookie pair unless `csrf` is false. */
function runCmdCgi(dir: string, input: { query?: string; post?: string; user?: string; csrf?: boolean }): CgiRun {
  writeFileSync(join(dir, 'nagios.cmd'), '');
  const csrf = input.csrf !== false;
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    NAGIOS_CGI_CONFIG: join(dir, 'cgi.cfg'),
    GATEWAY_INTERFACE: 'CGI/1.1',
    REMOTE_USER: input.user ?? 'nagiosadmin',
    REQUEST_METHOD: input.post === undefined ? 'GET' : 'POST',
    QUERY_STRING: input.post === undefined ? `${input.query ?? ''}${csrf ? `&nagFormId=${FORM_ID}` : ''}` : '',
    ...(csrf ? { HTTP_COOKIE: `NagFormId=${FORM_ID}` } : {}),
  };
  let stdin = '';
  if (input.post !== undefined) {
    stdin = `${input.post}${csrf ? `&nagFormId=${FORM_ID}` : ''}`;
    Object.assign(env, { CONTENT_TYPE: 'application/x-www-form-urlencoded', CONTENT_LENGTH: String(Buffer.byteLength(stdin)) });
  }
  const run = spawnSync(CMD_CGI, [], { env, input: stdin, encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`cmd.cgi exited with ${run.status}: ${run.stderr}`);
  const line = readFileSync(join(dir, 'nagios.cmd'), 'utf8').trim();
  return { page: run.stdout, command: line ? line.replace(/^\[\d+\] /, '') : undefined };
}

/** The lines of a page that clients read: those with `CLASS='infoMessage'` or `CLASS='errorMessage'` (what RSV echoes). */
function messageLines(page: string): string[] {
  return page.split('\n').filter((l) => /CLASS='(info|error)Message'/.test(l));
}

/** A service command line as the fields a PassiveResult holds, split by Nagios's rules. */
function fieldsOf(command: string): Record<string, unknown> {
  const [name, host, ...rest] = command.split(';');
  const service = name === 'PROCESS_SERVICE_CHECK_RESULT' ? rest.shift() : undefined;
  const state = Number(rest.shift());
  const split = splitPluginOutput(rest.join(';'));
  return { kind: service === undefined ? 'host' : 'service', host, ...(service === undefined ? {} : { service }), state, ...split };
}

afterAll(removeTempDirs);

describe.skipIf(!available)("the cmd.cgi entry beside Debian's cmd.cgi", () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: accessMigrations });
  let dir: string;
  let app: EntriesApp;
  beforeAll(() => {
    dir = nagiosDir();
  });
  beforeEach(async () => {
    // rsv_plus_as_space off: the entry's decoding alone, to compare with cmd.cgi's.
    app = await startEntriesApp(fresh().store, standardSettings(), entrySettings({ serviceCommandUsers: ['alice'], hostCommandUsers: ['alice'], rsvPlusAsSpace: false }));
  });
  afterEach(() => app.close());
  const alice = { authorization: basic('alice', PASSWORDS.alice) };
  const ours = async (query: string, headers: Record<string, string> = alice) => {
    const before = app.submitted.length;
    const res = await fetch(`${app.url}/cgi-bin/nagios4/cmd.cgi?${query}`, { headers });
    return { status: res.status, page: await res.text(), result: app.submitted.slice(before)[0]?.[0] };
  };
  const strip = (r: Record<string, unknown> | undefined) => {
    if (!r) return undefined;
    const { checkTime: _t, source: _s, submittedBy: _b, ...rest } = r;
    return rest;
  };

  it("RSV's exact request: the same decoded text (`Host+osg-edu+is+alive`) and the same success line", async () => {
    const query = rsvQuery(SERVICE, HOST, 0, 'Host osg-edu is alive');
    const real = runCmdCgi(dir, { query });
    expect(real.command).toBe(`PROCESS_SERVICE_CHECK_RESULT;${HOST};${SERVICE};0;Host+osg-edu+is+alive|`);
    const mine = await ours(query);
    expect(mine.status).toBe(200);
    expect(strip(mine.result as unknown as Record<string, unknown>)).toEqual(fieldsOf(real.command!));
    expect(messageLines(mine.page)).toEqual(messageLines(real.page));
    expect(messageLines(real.page)).toEqual(["<P><DIV CLASS='infoMessage'>Your command request was successfully submitted to Nagios for processing.<BR><BR>"]);
  });

  it('the same decoding for "+", %XX, UTF-8 and performance_data, by GET and by POST', async () => {
    const cases = [
      `cmd_typ=30&cmd_mod=2&host=${HOST}&service=${SERVICE}&plugin_state=2&plugin_output=a+b%2Bc%20d%C3%A9+%7C+x&performance_data=t%3D1s%3B2`,
      `cmd_typ=87&cmd_mod=2&host=${HOST}&plugin_state=1&plugin_output=DOWN%3A+no+route&performance_data=rta%3D5ms`,
    ];
    for (const query of cases) {
      const real = runCmdCgi(dir, { query });
      const realPost = runCmdCgi(dir, { post: query });
      expect(realPost.command).toBe(real.command);
      const mine = await ours(query);
      expect(mine.status, query).toBe(200);
      expect(strip(mine.result as unknown as Record<string, unknown>), query).toEqual(fieldsOf(real.command!));
      expect(messageLines(mine.page)).toEqual(messageLines(real.page));
    }
  });

  it('the same answer lines for an unauthorized user and for blank output', async () => {
    const query = `cmd_typ=30&cmd_mod=2&host=${HOST}&service=${SERVICE}&plugin_state=0&plugin_output=fine`;
    const realDenied = runCmdCgi(dir, { query, user: 'bob' });
    expect(realDenied.command).toBeUndefined();
    const denied = await ours(query, { authorization: basic('bob', PASSWORDS.bob) });
    expect(denied.status).toBe(403);
    expect(messageLines(denied.page)).toEqual(messageLines(realDenied.page));

    const blank = query.replace('plugin_output=fine', 'plugin_output=');
    const realBlank = runCmdCgi(dir, { query: blank });
    expect(realBlank.command).toBeUndefined();
    const mine = await ours(blank);
    expect(mine.status).toBe(400);
    expect(messageLines(mine.page)).toEqual(messageLines(realBlank.page));
    expect(messageLines(mine.page)).toEqual(["<P><DIV CLASS='errorMessage'>Plugin output cannot be blank</DIV></P>"]);
    expect(app.submitted).toEqual([]);
  });

  it("why RSV needs the entry: Debian's cmd.cgi answers RSV's request (no CSRF cookie) with an error inside a 200 page", () => {
    const real = runCmdCgi(dir, { query: rsvQuery(SERVICE, HOST, 0, 'Host osg-edu is alive'), csrf: false });
    expect(real.page).toContain('<p>Error: Invalid or missing CSRF cookie!</p>');
    expect(real.command).toBeUndefined();
  });
});
