/**
 * The stored pivot name → colour registry: a name (VO, site, ...) gets the next palette slot the first time any graph
 * draws it and keeps it across graphs, chart types, outputs, restarts and every appliance on the same database.
 */
import type { Migration, Store } from '../../store/index.js';
import { fixedPivotColor, slotColor } from '../charts/index.js';

/** The registry's table (stage `pivot_colors`). */
export const pivotColorMigrations: readonly Migration[] = [
  {
    stage: 'pivot_colors',
    version: 1,
    name: 'pivot name colours',
    steps: [
      {
        createTable: {
          name: 'pivot_colors',
          columns: [
            // Pivot names are compared exactly: `cms` and `CMS` are two pivots, as GraphTool drew them.
            { name: 'name', type: 'varchar', length: 255, notNull: true, binary: true },
            { name: 'slot', type: 'int', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
    ],
  },
];

/** What the graph routes need: the colours of the names one chart draws. */
export interface PivotColorRegistry {
  /** Every label's colour (`Other` and `unknown` fixed); a name never drawn before is assigned its slot first. */
  colorsFor(labels: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** Names longer than the column are left to the chart's hashed colour rather than cut to another name. */
const MAX_NAME = 255;
/** Names looked up per statement (bound values). */
const CHUNK = 200;
/** Names remembered in memory (each is one stored row; past this the memory starts again from the table). */
const MAX_REMEMBERED = 100_000;

/**
 * The assignment is one statement per new name: the insert takes the next slot (one past the largest) and a name
 * that another process (or request) stored first is left as it is, so everyone then reads the same row.
 */
function assignSql(store: Store): string {
  return store.backend === 'mysql'
    ? 'INSERT INTO pivot_colors (name, slot) SELECT ?, COALESCE(MAX(slot) + 1, 0) FROM pivot_colors ON DUPLICATE KEY UPDATE pivot_colors.slot = pivot_colors.slot'
    : // `WHERE true` ends the SELECT, so SQLite reads ON CONFLICT as the upsert clause.
      'INSERT INTO pivot_colors (name, slot) SELECT ?, COALESCE(MAX(slot) + 1, 0) FROM pivot_colors WHERE true ON CONFLICT (name) DO NOTHING';
}

export function createPivotColorRegistry(options: { store: Store }): PivotColorRegistry {
  const { store } = options;
  const known = new Map<string, string>();

  const load = async (names: readonly string[]): Promise<void> => {
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const rows = await store.query<{ name: string; slot: number }>(`SELECT name, slot FROM pivot_colors WHERE name IN (${chunk.map(() => '?').join(', ')})`, chunk);
      if (known.size + rows.length > MAX_REMEMBERED) known.clear();
      for (const r of rows) known.set(String(r.name), slotColor(Number(r.slot)));
    }
  };

  return {
    async colorsFor(labels) {
      const wanted = [...new Set(labels)].filter((l) => !fixedPivotColor(l) && l.length <= MAX_NAME);
      const missing = wanted.filter((l) => !known.has(l));
      if (missing.length) {
        await load(missing);
        // In the order given (largest pivot first), so a chart's biggest new names take the first free slots.
        const fresh = missing.filter((l) => !known.has(l));
        for (const name of fresh) await store.execute(assignSql(store), [name]);
        if (fresh.length) await load(fresh);
      }
      const out = new Map<string, string>();
      for (const l of labels) {
        const color = fixedPivotColor(l) ?? known.get(l);
        if (color) out.set(l, color);
      }
      return out;
    },
  };
}
