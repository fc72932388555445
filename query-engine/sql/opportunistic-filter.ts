/** GW's `:opportunistic-filter` hook (`oim_vo_ownership.alter_sql`): owned or opportunistic usage from OIM VO→resource ownership. */
import { AppError, compileMatchFromStart } from '../../common/index.js';
import type { Queryable, SqlValue } from '../../store/index.js';
import type { Ownership } from '../results/index.js';
import type { SqlFragment } from './sql-fragment.js';

/** The values of the `opportunistic-filter` input. */
export const OPPORTUNISTIC_FILTER_VALUES = ['BOTH', 'OWNED', 'OPPORTUNISTIC'] as const;
export type OpportunisticFilterValue = (typeof OPPORTUNISTIC_FILTER_VALUES)[number];

/** What identifies an owner's rows in MasterSummaryData for one (VO, resource) pair. */
export interface OwnershipMatch {
  /** `VONameCorrection.corrid`s of the VO. */
  vocorrids: readonly number[];
  /** Probe names at the resource's site (Batch rows). */
  probes: readonly string[];
  /** Lowercase `HostDescription`s that name the resource (BatchPilot rows). */
  hostDescriptions: readonly string[];
}

/** Looks up a (VO, resource) pair; both names come lowercased, as GW keyed them. */
export type OwnershipLookup = (vo: string, resource: string) => OwnershipMatch;

export interface OpportunisticFilterOptions {
  /** The `opportunistic-filter` input value. */
  value: string | undefined;
  /** The `resource-type` input value: a regexp that must match `Batch` or `BatchPilot` from the start. */
  resourceType?: string;
  /** Needed for OWNED and OPPORTUNISTIC. */
  ownership?: readonly Ownership[];
  lookup?: OwnershipLookup;
  /** The input's name, for messages (default `opportunistic-filter`). */
  inputName?: string;
  /** The MasterSummaryData alias in the query (default `R`). */
  alias?: string;
}

function placeholders(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}

/** Python `re.match(pattern, text, re.I)`, compiled by RE2 (linear time: the pattern is the client's): anchored at the start only. */
function matchesFromStart(pattern: string, text: string, inputName: string): boolean {
  return compileMatchFromStart(pattern, { input: inputName, caseInsensitive: true }).test(text);
}

/** Ownership grouped by lowercase VO, in first-seen order, without `osg` (GW skips it: it owns nothing opportunistically). */
function ownedResources(ownership: readonly Ownership[]): Map<string, string[]> {
  const byVo = new Map<string, string[]>();
  for (const { vo, resource } of ownership) {
    const v = vo.toLowerCase();
    if (v === 'osg') continue;
    const list = byVo.get(v) ?? [];
    const r = resource.toLowerCase();
    if (!list.includes(r)) list.push(r);
    byVo.set(v, list);
  }
  return byVo;
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/**
 * The SQL for `:opportunistic-filter`, with every name and id bound:
 * - `BOTH` → `TRUE`;
 * - `OWNED` → `(FALSE OR (R.VOcorrid IN (…) AND R.ProbeName IN (…)) OR …)`, one term per owning VO
 *   (BatchPilot: `lower(R.HostDescription) IN (…)` instead of the probes). A VO with no corrids, or with no
 *   probes / host descriptions, adds no term, as in GW;
 * - `OPPORTUNISTIC` → `NOT (…)` of the same.
 * Any other value, a missing value, or a `resource-type` matching neither Batch nor BatchPilot is a 400.
 * GW treated every value other than BOTH and OPPORTUNISTIC as OWNED; we refuse them instead.
 */
export function buildOpportunisticFilter(options: OpportunisticFilterOptions): SqlFragment {
  const inputName = options.inputName ?? 'opportunistic-filter';
  const value = options.value;
  if (value === 'BOTH') return { sql: 'TRUE', params: [] };
  if (value !== 'OWNED' && value !== 'OPPORTUNISTIC') {
    throw new AppError(
      'bad_request',
      value === undefined
        ? `input "${inputName}" is missing; it must be one of ${OPPORTUNISTIC_FILTER_VALUES.join(', ')}`
        : `input "${inputName}": "${value}" must be one of ${OPPORTUNISTIC_FILTER_VALUES.join(', ')}`,
      { input: inputName, value },
    );
  }
  const resourceType = options.resourceType;
  if (resourceType === undefined) {
    throw new AppError('bad_request', `input "${inputName}": ${value} needs the "resource-type" input`, { input: 'resource-type' });
  }
  const isBatch = matchesFromStart(resourceType, 'Batch', 'resource-type');
  const isPilot = matchesFromStart(resourceType, 'BatchPilot', 'resource-type');
  if (!isBatch && !isPilot) {
    throw new AppError('bad_request', `input "resource-type": "${resourceType}" must select Batch or BatchPilot for ${inputName}=${value}`, {
      input: 'resource-type',
      value: resourceType,
    });
  }
  if (!options.ownership || !options.lookup) {
    throw new AppError('unavailable', `${inputName}=${value} needs the OIM VO ownership data, which is not loaded`);
  }
  const alias = options.alias ?? 'R';
  let sql = '(FALSE';
  const params: SqlValue[] = [];
  for (const [vo, resources] of ownedResources(options.ownership)) {
    const matches = resources.map((r) => options.lookup!(vo, r));
    const corrids = unique(matches.flatMap((m) => m.vocorrids));
    if (corrids.length === 0) continue;
    // Batch wins when the pattern matches both (e.g. `.*`), as in GW.
    const owned = isBatch ? unique(matches.flatMap((m) => m.probes)) : unique(matches.flatMap((m) => m.hostDescriptions.map((h) => h.toLowerCase())));
    if (owned.length === 0) continue;
    const column = isBatch ? `${alias}.ProbeName` : `lower(${alias}.HostDescription)`;
    sql += ` OR (${alias}.VOcorrid IN ${placeholders(corrids)} AND ${column} IN ${placeholders(owned)})`;
    params.push(...corrids, ...owned);
  }
  sql += ')';
  return value === 'OPPORTUNISTIC' ? { sql: `NOT ${sql}`, params } : { sql, params };
}

/**
 * Builds an {@link OwnershipLookup} from the Gratia tables with GW's two queries: the corrids of each owning
 * VO (`lower(VO.VOName)`) and the probes of each owned site (`lower(Site.SiteName)`). A BatchPilot resource
 * is matched by its own lowercase name in `HostDescription`.
 */
export async function loadOwnershipLookup(db: Queryable, ownership: readonly Ownership[]): Promise<OwnershipLookup> {
  const vos = unique(ownership.map((o) => o.vo.toLowerCase()));
  const sites = unique(ownership.map((o) => o.resource.toLowerCase()));
  const corrids = new Map<string, number[]>();
  const probes = new Map<string, string[]>();
  if (vos.length > 0) {
    const rows = await db.queryArrays(
      `SELECT lower(VO.VOName), VC.corrid FROM VO JOIN VONameCorrection VC ON (VC.VOid = VO.VOid) WHERE lower(VO.VOName) IN ${placeholders(vos)}`,
      vos,
    );
    for (const [vo, corrid] of rows.rows) corrids.set(String(vo), [...(corrids.get(String(vo)) ?? []), Number(corrid)]);
  }
  if (sites.length > 0) {
    const rows = await db.queryArrays(
      `SELECT lower(S.SiteName), P.probename FROM Probe P JOIN Site S ON S.siteid = P.siteid WHERE lower(S.SiteName) IN ${placeholders(sites)}`,
      sites,
    );
    for (const [site, probe] of rows.rows) probes.set(String(site), [...(probes.get(String(site)) ?? []), String(probe)]);
  }
  return (vo, resource) => ({
    vocorrids: corrids.get(vo.toLowerCase()) ?? [],
    probes: probes.get(resource.toLowerCase()) ?? [],
    hostDescriptions: [resource.toLowerCase()],
  });
}
