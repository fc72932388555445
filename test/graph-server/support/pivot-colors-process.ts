/** A separate process asking the colour registry on a store for names (argv: store URL, then the names): prints the name → colour map as JSON. */
import { createPivotColorRegistry } from '../../../graph-server/index.js';
import { openStore, parseStoreUrl } from '../../../store/index.js';

const [url, ...names] = process.argv.slice(2);
const store = openStore(parseStoreUrl(url!));
try {
  // Each name on its own, as charts ask one after another: the assignments of the two processes interleave.
  const out: Record<string, string> = {};
  for (const name of names) Object.assign(out, Object.fromEntries(await createPivotColorRegistry({ store }).colorsFor([name])));
  process.stdout.write(JSON.stringify(out));
} finally {
  await store.close();
}
