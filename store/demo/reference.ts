/** Writes the demo's reference rows (Site, Probe, VO, VONameCorrection, ProjectNameCorrection), reusing rows already there. */
import { toSqlDateTime } from '../../common/index.js';
import type { Queryable, Row } from '../types.js';
import { probeLastReport } from './jobs.js';
import { DEMO_PROBES, DEMO_SITES } from './sites.js';
import { DEMO_PROJECTS, DEMO_VOS, FERMICLOUD_USERS, UNKNOWN_PROJECT, type DemoCorrection } from './vos.js';

/** The ids the job rows and the summary refer to, and how many reference rows this run added. */
export interface ReferenceIds {
  probeId: ReadonlyMap<string, number>;
  corrid(voName: string, reportable: string): number;
  projectCorrid(project: string | null): number;
  added: { Site: number; Probe: number; VO: number; VONameCorrection: number; ProjectNameCorrection: number };
}

const correctionKey = (voName: string, reportable: string) => `${voName}\u0000${reportable}`;

/** Looks a name up the way the column compares: exactly for binary columns, ignoring case for the others. */
function nameIndex(rows: Row[], caseSensitive: boolean): Map<string, number> {
  return new Map(rows.map((r) => [caseSensitive ? String(r.name) : String(r.name).toLowerCase(), Number(r.id)]));
}

async function ensureNames(
  tx: Queryable,
  table: string,
  idColumn: string,
  nameColumn: string,
  names: readonly string[],
  caseSensitive: boolean,
): Promise<{ ids: Map<string, number>; added: number }> {
  const norm = (n: string) => (caseSensitive ? n : n.toLowerCase());
  const select = `SELECT ${idColumn} AS id, ${nameColumn} AS name FROM ${table}`;
  const before = nameIndex(await tx.query(select), caseSensitive);
  const missing = names.filter((n) => !before.has(norm(n)));
  await tx.insertMany(table, [nameColumn], missing.map((n) => [n]));
  const after = nameIndex(await tx.query(select), caseSensitive);
  return { ids: new Map(names.map((n) => [n, after.get(norm(n))!])), added: missing.length };
}

/** Every correction the demo reports, with its VO: the VOs' own and the FermiCloud owners'. */
function allCorrections(): { vo: string; correction: DemoCorrection }[] {
  const list = [
    ...DEMO_VOS.flatMap((vo) => vo.corrections.map((correction) => ({ vo: vo.name, correction }))),
    ...FERMICLOUD_USERS.map((u) => ({ vo: u.vo, correction: u.correction })),
  ];
  const seen = new Set<string>();
  return list.filter(({ correction: c }) => {
    const key = correctionKey(c.voName, c.reportable);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Inserts the reference rows the store lacks, in a fixed order (so fresh stores get the same ids), and maps them. */
export async function writeReference(tx: Queryable, now: number): Promise<ReferenceIds> {
  const sites = await ensureNames(tx, 'Site', 'siteid', 'SiteName', DEMO_SITES.map((s) => s.name), false);

  const probeRows = nameIndex(await tx.query('SELECT probeid AS id, probename AS name FROM Probe'), false);
  const newProbes = DEMO_PROBES.filter((p) => !probeRows.has(p.name.toLowerCase()));
  await tx.insertMany(
    'Probe',
    ['siteid', 'probename', 'active', 'currenttime', 'status'],
    newProbes.map((p, i) => {
      // Live probes reported minutes ago; silent ones last reported days ago.
      const last = Math.min(probeLastReport(p, now), now - 60 * (3 + ((i * 7) % 50)));
      return [sites.ids.get(p.site)!, p.name, 1, toSqlDateTime(new Date(last * 1000)), 'alive'];
    }),
  );
  const probeId = nameIndex(await tx.query('SELECT probeid AS id, probename AS name FROM Probe'), false);

  const vos = await ensureNames(tx, 'VO', 'VOid', 'VOName', DEMO_VOS.map((v) => v.name), true);

  const corrections = allCorrections();
  const corrSelect = 'SELECT corrid AS id, VOName AS v, ReportableVOName AS r FROM VONameCorrection';
  const corrIndex = async () => new Map((await tx.query(corrSelect)).map((r) => [correctionKey(String(r.v), String(r.r)), Number(r.id)]));
  const existingCorr = await corrIndex();
  const newCorr = corrections.filter(({ correction: c }) => !existingCorr.has(correctionKey(c.voName, c.reportable)));
  await tx.insertMany(
    'VONameCorrection',
    ['VOName', 'ReportableVOName', 'VOid'],
    newCorr.map(({ vo, correction: c }) => [c.voName, c.reportable, vos.ids.get(vo)!]),
  );
  const corrIds = await corrIndex();

  // `null` is the row of records without a project, as Gratia matches `ProjectName IS NULL`.
  const projects: [string | null, string][] = [
    [null, UNKNOWN_PROJECT],
    ...DEMO_PROJECTS.flatMap((p) => p.raw.map((raw): [string, string] => [raw, p.reportable])),
  ];
  const pncSelect = 'SELECT ProjectNameCorrid AS id, ProjectName AS name FROM ProjectNameCorrection';
  const pncIndex = async () => new Map((await tx.query<{ id: number; name: string | null }>(pncSelect)).map((r) => [r.name, Number(r.id)]));
  const existingPnc = await pncIndex();
  const newPnc = projects.filter(([raw]) => !existingPnc.has(raw));
  await tx.insertMany('ProjectNameCorrection', ['ProjectName', 'ReportableProjectName'], newPnc);
  const pncIds = await pncIndex();

  return {
    probeId: new Map(DEMO_PROBES.map((p) => [p.name, probeId.get(p.name.toLowerCase())!])),
    corrid: (voName, reportable) => {
      const id = corrIds.get(correctionKey(voName, reportable));
      if (id === undefined) throw new Error(`demo catalog: no correction for ${voName} / ${reportable}`);
      return id;
    },
    projectCorrid: (project) => {
      const id = pncIds.get(project);
      if (id === undefined) throw new Error(`demo catalog: no ProjectNameCorrection for ${project ?? 'NULL'}`);
      return id;
    },
    added: {
      Site: sites.added,
      Probe: newProbes.length,
      VO: vos.added,
      VONameCorrection: newCorr.length,
      ProjectNameCorrection: newPnc.length,
    },
  };
}
