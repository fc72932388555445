/**
 * `npm run bench -- accounting [--records N]`: imports N generated OpenNebula history records (oneacct -x, each
 * HISTORY with a realistic VM document, one day slice each) from a file through `importOpenNebulaXml`, beside the raw
 * store rate measured in the same run (plain `insertMany` of N rows into a fresh `usage_records`), and prints the
 * records/s of both, the ratio (target >= 30 %) and the peak RSS. One function per phase, so the billing half can join.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { accountingMigrations, importHistoryMigrations, importOpenNebulaXml, USAGE_TABLE } from '../accounting/index.js';
import { openStore, type SqlValue, type Store } from '../store/index.js';
import { historyBody } from '../test/support/one-history-documents.js';
import { removeTempDirs, tempDir } from '../test/support/temp-files.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { formatRate, nowMs } from './support/timing.js';

const T0 = Date.parse('2026-10-01T00:00:00Z') / 1000;
const TARGET = 0.3;

/** Record `i`: a VM of a few hosts, groups and sizes, running one hour inside one day. */
function record(i: number): string {
  const vmId = 1000 + Math.floor(i / 4);
  const seq = i % 4;
  const start = T0 + (i % 28) * 86_400 + (i % 20) * 3600;
  return historyBody({
    vmId, seq, stime: start, etime: start + 3600, rstime: start + 60, retime: start + 3600, hostname: `node${i % 64}.example.org`, hid: i % 64,
    vm: {
      name: `vm-${vmId}`, uid: i % 50, uname: `user${i % 50}`, gid: 100 + (i % 8), gname: `group${i % 8}`, state: 6, lcmState: 0,
      vmStime: start, vmEtime: start + 3600, memory: 2048 * (1 + (i % 4)), vcpu: 1 + (i % 8), cpu: '0.5', disks: [10240, 2048], snapshotMb: 512,
      ips: [`192.168.${i % 250}.${i % 200}`, `130.199.${i % 250}.${(i * 7) % 250}`], netrx: i * 1000, nettx: i * 2000, dn: `/DC=org/CN=user${i % 50}`,
    },
  }, true);
}

/** Writes `records` HISTORY records into a oneacct -x file; returns its path and size. */
async function generate(dir: string, records: number): Promise<{ file: string; bytes: number }> {
  const file = join(dir, 'oneacct.xml');
  const out = createWriteStream(file);
  out.write('<HISTORY_RECORDS>\n');
  for (let i = 0; i < records; i += 1000) {
    let chunk = '';
    for (let k = i; k < Math.min(records, i + 1000); k++) chunk += `  <HISTORY>${record(k)}</HISTORY>\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('</HISTORY_RECORDS>\n');
  await once(out, 'finish');
  return { file, bytes: statSync(file).size };
}

async function freshStore(dir: string, name: string): Promise<Store> {
  const store = openStore({ interface: 'sqlite', file: join(dir, `${name}.db`) });
  await store.migrate([...accountingMigrations, ...importHistoryMigrations]);
  return store;
}

/** The raw rate: N usage rows (built before the clock) by plain insertMany, in one transaction. */
async function rawInsertPhase(dir: string, records: number): Promise<number> {
  const store = await freshStore(dir, 'raw');
  const columns = [
    'endpoint', 'vm_id', 'seq', 'vm_name', 'deploy_id', 'owner_uid', 'owner_name', 'group_gid', 'group_name', 'user_dn', 'hostname', 'host_id',
    'cluster_id', 'vcpu', 'cpu_share', 'memory_mb', 'disk_mb', 'net_rx_bytes', 'net_tx_bytes', 'public_ips', 'image_id', 'status', 'slice_start',
    'slice_end', 'day', 'open', 'allocated_seconds', 'running_seconds', 'cpu_seconds',
  ];
  const rows: SqlValue[][] = [];
  for (let i = 0; i < records; i++) {
    const s = T0 + (i % 28) * 86_400 + (i % 20) * 3600;
    rows.push(['bench', 1000 + Math.floor(i / 4), i % 4, `vm-${i}`, `one-${i}`, i % 50, `user${i % 50}`, 100 + (i % 8), `group${i % 8}`, '/DC=org/CN=u', `node${i % 64}`, i % 64, 0,
      1 + (i % 8), '0.5', 2048, 12800, i * 1000, i * 2000, '130.199.1.1', '7', 'completed', s, s + 3600, '2026-10-01', 0, 3600, 3540, 3540]);
  }
  const started = nowMs();
  await store.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) await tx.insertMany(USAGE_TABLE, columns, rows.slice(i, i + 2000));
  });
  const ms = nowMs() - started;
  await store.close();
  return ms;
}

/** The import: the file streamed through importOpenNebulaXml into a fresh store. */
async function importPhase(dir: string, file: string, records: number): Promise<{ ms: number; imported: number }> {
  const store = await freshStore(dir, 'import');
  const started = nowMs();
  const report = await importOpenNebulaXml(store, { endpoint: 'bench', source: file, stream: createReadStream(file), now: T0 + 40 * 86_400 });
  const ms = nowMs() - started;
  await store.close();
  if (report.imported !== records) throw new Error(`the import stored ${report.imported} of ${records} records (${report.rejected} rejected)`);
  return { ms, imported: report.imported };
}

export const benchmark: Benchmark = {
  description: 'accounting import: N generated OpenNebula history records (--records, default 20000) vs raw insertMany; target >= 30 %, peak RSS',
  async run(args) {
    const { records } = integerOptions(args, { records: 20_000 });
    const dir = tempDir();
    try {
      const { file, bytes } = await generate(dir, records);
      console.log(`generated ${records} HISTORY records (${(bytes / 1048576).toFixed(1)} MB); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      const rawMs = await rawInsertPhase(dir, records);
      const imp = await importPhase(dir, file, records);
      const rawRate = records / (rawMs / 1000);
      const importRate = imp.imported / (imp.ms / 1000);
      const ratio = importRate / rawRate;
      console.log(`raw insertMany:  ${formatRate(records, rawMs)}`);
      console.log(`import:          ${formatRate(imp.imported, imp.ms)} (each record: parse, validate, normalise, slice, segment + slice rows, history)`);
      console.log(`ratio import / raw: ${(ratio * 100).toFixed(1)} %; target >= ${TARGET * 100} % ${ratio >= TARGET ? 'met' : 'MISSED'}`);
      console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    } finally {
      removeTempDirs();
    }
  },
};
