/** `npm run bench -- <name> [options]`: runs the benchmark `bench/<name>.ts`; without a known name, lists them. */
import { AppError } from '../common/index.js';
import type { Benchmark } from './support/benchmark.js';

/** Every benchmark, by the name given on the command line. Adding one is one line here. */
const BENCHMARKS: Record<string, () => Promise<{ benchmark: Benchmark }>> = {
  store: () => import('./store.js'),
  query: () => import('./query.js'),
  graph: () => import('./graph.js'),
  collector: () => import('./collector.js'),
  stall: () => import('./stall.js'),
  nagios: () => import('./nagios.js'),
  queue: () => import('./queue.js'),
  rsv: () => import('./rsv.js'),
  'gratia-tree': () => import('./gratia-tree.js'),
  accounting: () => import('./accounting.js'),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name === undefined ? undefined : BENCHMARKS[name];
  if (!load) {
    if (name !== undefined && !['-h', '--help', 'help'].includes(name)) process.stderr.write(`unknown benchmark "${name}"\n`);
    process.stderr.write('usage: npm run bench -- <name> [options]\n\nbenchmarks:\n');
    for (const [known, loadKnown] of Object.entries(BENCHMARKS)) {
      const { benchmark } = await loadKnown();
      process.stderr.write(`  ${known.padEnd(12)} ${benchmark.description}\n`);
    }
    return name === undefined || ['-h', '--help', 'help'].includes(name) ? 0 : 2;
  }
  const { benchmark } = await load();
  await benchmark.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A wrong option is the user's to fix: the message says how. Anything else needs its stack.
    const text = err instanceof AppError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${text}\n`);
    process.exit(1);
  },
);
