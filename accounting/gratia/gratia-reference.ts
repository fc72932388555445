/** The reference rows VM records point at: Site, Probe, VO, VONameCorrection and ProjectNameCorrection, added when missing. */
import { toSqlDateTime } from '../../common/index.js';
import type { Queryable, Row } from '../../store/index.js';

const CHUNK = 200;

const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Adds the names the table lacks and returns every name's id. `insertNew` skips a name another transaction added
 * meanwhile (unique index), so concurrent imports on one MariaDB never duplicate a reference row.
 */
async function ensureNames(tx: Queryable, table: string, idColumn: string, nameColumn: string, names: readonly string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    await tx.insertNew(table, [nameColumn], part.map((n) => [n]));
    const rows = await tx.query(`SELECT ${idColumn} AS id, ${nameColumn} AS name FROM ${table} WHERE ${nameColumn} IN (${inList(part.length)})`, part);
    const byName = new Map(rows.map((r: Row) => [String(r.name).toLowerCase(), Number(r.id)]));
    // Exact match first (binary columns), else the case-insensitive one the column's collation found.
    const exact = new Map(rows.map((r: Row) => [String(r.name), Number(r.id)]));
    for (const n of part) ids.set(n, exact.get(n) ?? byName.get(n.toLowerCase())!);
  }
  return ids;
}

/** Sites by name, and each probe (`onevm:<endpoint>`) at its site; the probe's `currenttime` is the import's. */
export async function ensureProbes(tx: Queryable, probes: ReadonlyMap<string, string>, now: number): Promise<Map<string, number>> {
  const siteIds = await ensureNames(tx, 'Site', 'siteid', 'SiteName', [...probes.values()]);
  const names = [...probes.keys()];
  await tx.insertNew('Probe', ['siteid', 'probename', 'active', 'currenttime', 'status'], names.map((p) => [siteIds.get(probes.get(p)!)!, p, 1, toSqlDateTime(new Date(now * 1000)), 'alive']));
  const ids = new Map<string, number>();
  for (let i = 0; i < names.length; i += CHUNK) {
    const part = names.slice(i, i + CHUNK);
    for (const r of await tx.query(`SELECT probeid AS id, probename AS name FROM Probe WHERE probename IN (${inList(part.length)})`, part)) {
      ids.set(String(r.name), Number(r.id));
    }
  }
  for (const p of names) {
    // A probe moved to another site in the configuration follows it, as Gratia's collector re-attaches a probe.
    await tx.execute('UPDATE Probe SET siteid = ?, currenttime = ? WHERE probeid = ?', [siteIds.get(probes.get(p)!)!, toSqlDateTime(new Date(now * 1000)), ids.get(p)!]);
  }
  return ids;
}

/**
 * The VO and its name correction for each VO name, as Gratia's collector files a record's VOName: a `VO` row and a
 * `VONameCorrection` row (VOName = ReportableVOName = the VO) pointing at it.
 */
export async function ensureVos(tx: Queryable, vos: readonly string[]): Promise<void> {
  const voIds = await ensureNames(tx, 'VO', 'VOid', 'VOName', vos);
  await tx.insertNew('VONameCorrection', ['VOName', 'ReportableVOName', 'VOid'], [...voIds].map(([vo, id]) => [vo, vo, id]));
}

/** The project's correction row (a record without a project matches the row whose ProjectName is NULL). */
export async function ensureProject(tx: Queryable, project: string | null): Promise<void> {
  const rows = project === null
    ? await tx.query('SELECT ProjectNameCorrid FROM ProjectNameCorrection WHERE ProjectName IS NULL')
    : await tx.query('SELECT ProjectNameCorrid FROM ProjectNameCorrection WHERE ProjectName = ?', [project]);
  if (rows.length === 0) await tx.insertNew('ProjectNameCorrection', ['ProjectName', 'ReportableProjectName'], [[project, project ?? 'Unknown']]);
}
