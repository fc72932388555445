/** The results the output tests render; each expected file under expected/ says which sample it comes from and how it was derived. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TypedValue } from '../../query-engine/inputs/index.js';
import type { IndexSection, QueryXmlOptions, RenderableResult } from '../../graph-server/outputs/index.js';

const dt = (text: string): TypedValue => ({ type: 'datetime', value: new Date(`${text.replace(' ', 'T')}Z`) });
const int = (value: number): TypedValue => ({ type: 'int', value });
const str = (value: string): TypedValue => ({ type: 'string', value });

/** The mounts of GW's website.xml. */
export const XML_OPTS: QueryXmlOptions = { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml' };

/** An expected output, read as bytes (UTF-8). */
export function expected(name: string): string {
  return readFileSync(fileURLToPath(new URL(`expected/${name}`, import.meta.url)), 'utf8');
}

function result(r: Omit<RenderableResult, 'className' | 'displayName' | 'sql' | 'params'>): RenderableResult {
  return { className: 'GratiaQueries', displayName: 'Gratia Queries', sql: '', params: [], ...r };
}

/**
 * A: §4.1's example, pivot-group with epoch groups (no `grouping_name`), a grapher URL, a `>=`
 * and a `<` in the SQL, an undeclared URL parameter with `&` and `<`. Groups are given out of order;
 * the engine's stale `sql_vars`/`given_kw` metadata must be replaced by the merged variables.
 */
export const voHours = result({
  name: 'vo_hours_bar_smry',
  kind: 'pivot-group',
  data: {
    kind: 'pivot-group',
    pivots: [
      {
        pivot: 'cms',
        groups: [
          { group: 1467072000, value: 3 },
          { group: 1467158400, value: 123456.789012345 },
          { group: 1466985600, value: 0.1 + 0.2 },
        ],
      },
      {
        pivot: 'atlas',
        groups: [
          { group: 1466985600, value: 12.5 },
          { group: 1467072000, value: 0.00001 },
        ],
      },
    ],
  },
  metadata: {
    title: 'Hours Spent on Jobs By VO',
    graph_type: 'GratiaStackedBar',
    pivot_name: 'VO',
    column_names: 'Wall Time',
    column_units: 'Hours',
    kind: 'pivot-group',
    sql_vars: { stale: true },
    given_kw: { stale: true },
  },
  sqlTemplate:
    ' SELECT VO.VOName, truncate(unix_timestamp(EndTime) / :span, 0) * :span as time, sum(WallDuration) / 3600 FROM VOProbeSummary WHERE EndTime >= :starttime AND EndTime < :endtime AND VO.VOName regexp :vo GROUP BY VO.VOName, time ',
  sqlVars: { starttime: dt('2016-06-17 00:00:00'), endtime: dt('2016-06-30 23:59:59'), span: int(86400), vo: str('cms|atlas') },
  inputs: {
    starttime: dt('2016-06-17 00:00:00'),
    endtime: dt('2016-06-30 23:59:59'),
    span: int(86400),
    vo: str('cms|atlas'),
    'exclude-vo': str('unknown|other'),
  },
  given: { vo: 'cms|atlas', note: 'a&b<c' },
});

/**
 * B: `grouping_name` Time, tuple pivots (one whose repr holds both quote kinds), tuple values
 * (two results columns, one None), `$var` title expansion, `graph_kind` matplotlib, no grapher.
 */
export const siteVoTime = result({
  name: 'site_vo_wall_jobs',
  kind: 'pivot-group',
  data: {
    kind: 'pivot-group',
    pivots: [
      {
        pivot: ['Nebraska', 'cms'],
        groups: [
          { group: 1465776000, value: [0.25, 1] },
          { group: 1465819200, value: [1.5, 2] },
        ],
      },
      { pivot: ["it's", 'x'], groups: [{ group: 1465862400, value: [3, null] }] },
    ],
  },
  metadata: {
    title: 'Wall and jobs for $vo since $starttime in $span s bins, $unknown kept',
    graph_type: 'GratiaStackedBar',
    graph_kind: 'matplotlib',
    pivot_name: 'Site, VO',
    grouping_name: 'Time',
    column_names: 'Wall Time, Jobs',
    column_units: 'Hours, Jobs',
  },
  sqlTemplate: ' SELECT Site, VO, time, sum(Wall), sum(Njobs) FROM S WHERE EndTime >= :starttime AND VO regexp :vo ',
  sqlVars: { starttime: dt('2016-06-13 00:00:00'), span: int(43200), vo: str('cms') },
  inputs: { starttime: dt('2016-06-13 00:00:00'), span: int(43200), vo: str('cms') },
  given: {},
});

/**
 * C: pivot kind, Google Charts (JSON pivot names, `<url>` back to the XML mount even with a
 * grapher), a `title` URL parameter overriding the attribute, no `column_names`, `js_chart_setup`
 * needing escapes, pivots of three Python types.
 */
export const sitePie = result({
  name: 'site_pie',
  kind: 'pivot',
  data: {
    kind: 'pivot',
    entries: [
      { pivot: 'Florida', value: 5 },
      { pivot: 12, value: 1 },
      { pivot: 'Nebraska', value: 7.25 },
      { pivot: ['a', 'b'], value: 2 },
    ],
  },
  metadata: {
    title: 'Default title',
    graph_type: 'GratiaPie',
    graph_kind: 'google_charts',
    js_chart_setup: 'gc_obj.group_after = 5 && x < 3;',
    pivot_name: 'Site',
    kind: 'pivot',
  },
  sqlTemplate: ' SELECT Site, sum(Njobs) FROM S WHERE VO = :vo GROUP BY Site ',
  sqlVars: { vo: str('atlas') },
  inputs: { vo: str('atlas') },
  given: { title: 'Sites for $vo' },
});

/** D: complex-pivot (list order, a repeated pivot, tuple values), a unit list shorter than the names, no graph_type. */
export const topUsers = result({
  name: 'top_users',
  kind: 'complex-pivot',
  data: {
    kind: 'complex-pivot',
    entries: [
      { pivot: 'bob', value: [10, 2] },
      { pivot: 'alice', value: [7.5, 1] },
      { pivot: 'bob', value: [1, 1] },
    ],
  },
  metadata: { title: 'Top users', pivot_name: 'User', column_names: 'Hours,Jobs', column_units: 'h,' },
  sqlTemplate: ' SELECT User, sum(Wall), count(*) FROM J GROUP BY User LIMIT :limit ',
  sqlVars: { limit: int(10) },
  inputs: { limit: int(10) },
  given: {},
});

/** E: a failed query: no rows, the error text with a quote and `<`. */
export const broken = result({
  name: 'broken_query',
  kind: 'pivot-group',
  data: { kind: 'pivot-group', pivots: [] },
  metadata: { title: 'Broken', graph_type: 'GratiaBar', pivot_name: 'VO', grouping_name: 'time', column_names: 'Jobs', column_units: '', kind: 'pivot-group' },
  sqlTemplate: ' SELECT VO, time, count(*) FROM Nope ',
  sqlVars: {},
  inputs: {},
  given: {},
  error: "Table 'gratia.Nope' doesn't exist <1146>",
});

/** F: the index: a display name needing escapes and quotes, a query without title, a section without display_name, an empty section. */
export const indexSections: IndexSection[] = [
  {
    displayName: 'Gratia & OSG "Summaries"',
    queries: [
      { name: 'vo_hours_bar_smry', title: 'Hours Spent on Jobs By VO' },
      { name: 'site_pie', title: undefined },
      { name: 'tricky', title: 'Jobs for $vo <all>' },
    ],
  },
  { displayName: undefined, queries: [{ name: 'top_users', title: 'Top users' }] },
  { displayName: 'Empty', queries: [] },
];
