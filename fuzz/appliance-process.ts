/** A real appliance process for the fuzz run: embedded SQLite in a temporary data directory, an admin user, a free port. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usersFileLine } from '../access/index.js';
import { packageRoot } from '../common/index.js';

export interface ApplianceProcess {
  url: string;
  /** `Authorization` of the admin user the users file holds. */
  adminAuth: string;
  child: ChildProcess;
  /** Set once the process has exited: how. */
  exited(): string | undefined;
  /** The process's last log lines, for the report. */
  logTail(): string[];
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = 'fuzz-admin-secret';

/** Starts `appliance serve` from source; `demoDays` > 0 seeds that many days of demo data first (graphs then have rows). */
export async function startApplianceProcess(demoDays: number): Promise<ApplianceProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'appliance-fuzz-'));
  const users = join(dir, 'users');
  writeFileSync(users, `${usersFileLine('admin', ADMIN_PASSWORD)}\n`);
  const cli = [join(packageRoot(), 'bin', 'appliance.ts'), '--data', join(dir, 'data'), '--users', users];
  const node = [process.execPath, '--import', 'tsx'];
  if (demoDays > 0) {
    const seeded = spawnSync(node[0]!, [...node.slice(1), ...cli, 'demo', '--days', String(demoDays)], { cwd: packageRoot(), encoding: 'utf8' });
    if (seeded.status !== 0) throw new Error(`seeding demo data failed: ${seeded.stderr}`);
  }
  const child = spawn(node[0]!, [...node.slice(1), ...cli, '--port', '0', 'serve', '--no-demo'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let exit: string | undefined;
  child.on('exit', (code, signal) => {
    exit = signal ? `killed by ${signal}` : `exited with status ${code}`;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the appliance did not start within 60 s:\n${tail.join('\n')}`)), 60_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 200) tail.shift();
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!.replace(/\/$/, ''));
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.on('exit', () => reject(new Error(`the appliance ${exit ?? 'exited'} before listening:\n${tail.join('\n')}`)));
  });
  return {
    url,
    adminAuth: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
    child,
    exited: () => exit,
    logTail: () => [...tail],
    stop: async () => {
      if (exit === undefined) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
