/**
 * A consumer process for the kill -9 suite: takes the lease on a cursor, then "handles" rows 1..TOTAL one at a time
 * (records the row in `handled`, then advances the cursor to it), printing each committed position.
 * Env: CURSOR_STORE (StoreConnection JSON), CURSOR_NAME, CURSOR_OWNER, CURSOR_LEASE_MS, CURSOR_TOTAL, CURSOR_PAUSE_MS.
 */
import { createCursors } from '../../queue/index.js';
import { openStore, type StoreConnection } from '../../store/index.js';

const env = (name: string) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const store = openStore(JSON.parse(env('CURSOR_STORE')) as StoreConnection);
const name = env('CURSOR_NAME');
const owner = env('CURSOR_OWNER');
const leaseMs = Number(env('CURSOR_LEASE_MS'));
const total = Number(env('CURSOR_TOTAL'));
const pauseMs = Number(env('CURSOR_PAUSE_MS'));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

const cursors = createCursors(store);
let lease = await cursors.acquire(name, owner, leaseMs, new Date());
say(lease ? `acquired ${lease.position} at ${Date.now()}` : 'standing by');
while (!lease) {
  await pause(20);
  lease = await cursors.acquire(name, owner, leaseMs, new Date());
  if (lease) say(`acquired ${lease.position} at ${Date.now()}`);
}
for (let id = lease.position + 1; id <= total; id++) {
  // The work first, then the cursor: a crash between the two hands this row out again (at least once).
  await store.execute('INSERT INTO handled (id, owner) VALUES (?, ?)', [id, owner]);
  if (!(await lease.advance(id, new Date()))) {
    say(`lost the lease at ${id}`);
    process.exit(3);
  }
  say(`advanced ${id}`);
  await pause(pauseMs);
}
await lease.release(new Date());
say('done');
await store.close();
