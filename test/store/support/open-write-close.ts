/** A plain process that opens the embedded store, writes a WAL past the checkpoint threshold, closes it and says so. */
import { openStore } from '../../../store/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: open-write-close.ts FILE');
const store = openStore({ interface: 'sqlite', file });
await store.execute('CREATE TABLE t (a int, b text)');
// Over 4 MB of WAL, so the commit hands a checkpoint to the worker thread before close().
await store.insertMany('t', ['a', 'b'], Array.from({ length: 20_000 }, (_, i) => [i, 'x'.repeat(200)]));
await store.close();
console.log('closed');
