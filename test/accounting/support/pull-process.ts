/**
 * A puller process for the crash and two-process suites: runs the pull scheduler of one endpoint on a store, ticking
 * every PULL_TICK_MS, printing each outcome (`ok FROM TO RECORDS`, `held`, `failed KIND`) until killed or until it
 * has made PULL_OK_LIMIT successful pulls. Env: PULL_STORE (StoreConnection JSON), PULL_SOURCE (settings JSON),
 * PULL_OWNER, PULL_TICK_MS, PULL_OK_LIMIT.
 */
import { createPullScheduler, type OpenNebulaSourceSettings } from '../../../accounting/index.js';
import { openStore, type StoreConnection } from '../../../store/index.js';
import { segmentsOnlyImporter } from './segments-only-importer.js';

const env = (name: string) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const store = openStore(JSON.parse(env('PULL_STORE')) as StoreConnection);
const source = JSON.parse(env('PULL_SOURCE')) as OpenNebulaSourceSettings;
const tickMs = Number(env('PULL_TICK_MS'));
const okLimit = Number(env('PULL_OK_LIMIT'));
const say = (line: string) => process.stdout.write(`${line}\n`);

const scheduler = createPullScheduler({ store, importer: segmentsOnlyImporter(store), owner: env('PULL_OWNER'), sources: [source] });
say('ready');
let ok = 0;
while (ok < okLimit) {
  const outcome = await scheduler.tick(source.name);
  if (outcome?.status === 'ok') {
    ok++;
    say(`ok ${outcome.from} ${outcome.to} ${outcome.records}`);
  } else if (outcome?.status === 'failed') say(`failed ${outcome.kind}`);
  else if (outcome?.status === 'held') say('held');
  await new Promise((r) => setTimeout(r, tickMs));
}
await scheduler.stop();
await store.close();
say('done');
