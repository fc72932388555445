/** The fuzz cases: for each endpoint, a generator of bad input (mutated valid bodies, random bytes, odd numbers, headers). */
import { gzipSync } from 'node:zlib';
import { mutate, nested, ODD_NUMBERS, ODD_TEXT, randomBytes, type Random } from './random.js';

/** One request to send. */
export interface FuzzCase {
  endpoint: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What the cases need to know of the appliance under test. */
export interface FuzzTarget {
  /** Query names from the `/gratia/json/` index. */
  queries: readonly string[];
  /** `Authorization` of the admin user, sent with some of the cases. */
  adminAuth: string;
}

const RECORD = [
  'metricName: org.osg.general.ping-host', 'metricType: status', 'timestamp: 2026-03-01T10:00:00Z', 'metricStatus: OK', 'serviceType: OSG-CE',
  'serviceURI: ce.example.edu:2119', 'gatheredAt: rsv.example.edu', 'summaryData: OK', 'detailsData: alive', 'EOT', '',
].join('\n');
const RECORD_JSON = { metricName: 'org.osg.x', metricType: 'status', timestamp: '2026-03-01T10:00:00Z', metricStatus: 'OK', serviceType: 'CE', hostName: 'h.example', summaryData: 's', detailsData: 'd' };
const SAMPLE = { node: 'wn1.example', metric: 'load.one', time: '2026-03-01T10:00:00Z', value: 1.5, source: 'fuzz', tags: { rack: 'r1' } };
const LINES = ['cpu,host=wn1,rack=r1 usage_user=1.5,usage_system=2i,ok=true 1772359200000000000', 'mem,host=wn1 used=123i,label="x y"', 'disk,host=wn1,path=/ free=1e9 1772359200'];
const CHARSETS = ['utf-8', 'latin9', 'klingon', 'utf-16', 'iso-8859-1', 'UTF-7', '"utf-8"', ''];
const ENCODINGS = ['gzip', 'br', 'deflate', 'zstd', 'compress', 'identity', 'gzip, gzip', 'x-garbage', ''];
const TYPES = ['text/plain', 'application/json', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/html', ''];

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
/** Percent-encodes the UTF-8 bytes (a lone surrogate too, which encodeURIComponent refuses); `%ff` passes as it is. */
const pct = (v: string) => (v === '%ff' ? v : [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join(''));

/** Odd but sendable headers: charsets, encodings, forwarded addresses, Accept, sometimes valid admin credentials. */
function oddHeaders(r: Random, t: FuzzTarget, base: Record<string, string>): Record<string, string> {
  const h = { ...base };
  if (r.chance(0.15)) h['content-type'] = `${r.pick(TYPES)}${r.chance(0.5) ? `; charset=${r.pick(CHARSETS)}` : ''}`;
  if (r.chance(0.1)) h['content-encoding'] = r.pick(ENCODINGS);
  if (r.chance(0.1)) h['x-forwarded-for'] = r.pick(['10.0.0.1', '::1, 1.2.3.4', 'garbage', '127.0.0.1'.repeat(50)]);
  if (r.chance(0.2)) h.accept = r.pick(['text/html', 'application/json', '*/*', 'image/png']);
  if (r.chance(0.1)) h.origin = r.pick(['https://evil.example', 'null', 'http://127.0.0.1']);
  if (r.chance(0.05)) h.host = r.pick(['evil.example', 'localhost:1', '[::1]']);
  if (r.chance(0.1)) h.authorization = r.pick(['Basic', 'Basic !!!', `Bearer ${'x'.repeat(r.int(300))}`, 'Bearer fa_deadbeef', 'Digest x']);
  else if (r.chance(0.4)) h.authorization = t.adminAuth;
  return h;
}

/** A body from a valid one: as it is, mutated, random bytes, or (rarely) large. */
function bodyFrom(r: Random, valid: Buffer): Buffer {
  const roll = r.next();
  if (roll < 0.15) return valid;
  if (roll < 0.75) return mutate(r, valid);
  if (roll < 0.95) return randomBytes(r, 4096);
  return Buffer.concat(Array.from({ length: 1 + r.int(2000) }, () => valid));
}

function query(r: Random, names: readonly string[]): string {
  const parts: string[] = [];
  for (let i = r.int(4); i >= 0; i--) {
    const k = r.pick([...names, 'x', 'a[b]', '__proto__', 'constructor']);
    const v = r.chance(0.5) ? r.pick(ODD_TEXT) : r.pick(ODD_NUMBERS);
    parts.push(`${pct(k)}=${pct(v)}`);
  }
  return parts.join('&');
}

const GRAPH_PARAMS = ['starttime', 'endtime', 'span', 'vo', 'facility', 'user', 'resource-type', 'exclude-vo', 'opportunistic-filter', 'sql_query_timeout', 'conn', 'width', 'height', 'svg', 'entries'];
const SAMPLE_PARAMS = ['start', 'end', 'node', 'metric', 'limit'];

type Generator = (r: Random, t: FuzzTarget) => FuzzCase;

/** Each endpoint's generator, by the name the report counts it under. */
export const GENERATORS: Readonly<Record<string, Generator>> = {
  'POST /rsv/records (text)': (r, t) => {
    const valid = Buffer.from(r.chance(0.3) ? RECORD.replace('2026-03-01T10:00:00Z', r.pick([...ODD_NUMBERS, ...ODD_TEXT])) : RECORD.repeat(1 + r.int(5)));
    const format = r.chance(0.2) ? `?format=${r.pick(['wlcg', 'brief', 'json', 'wlcg-multiple', 'x'])}&metric=m&host=${pct(r.pick(ODD_TEXT))}` : '';
    return { endpoint: '', method: 'POST', path: `/rsv/records${format}`, headers: oddHeaders(r, t, { 'content-type': 'text/plain' }), body: bodyFrom(r, valid) };
  },
  'POST /rsv/records (JSON)': (r, t) => {
    const item: Record<string, unknown> = { ...RECORD_JSON };
    if (r.chance(0.5)) item[r.pick(Object.keys(RECORD_JSON))] = r.chance(0.5) ? Number(r.pick(ODD_NUMBERS)) : r.pick(ODD_TEXT);
    const valid = r.chance(0.1) ? Buffer.from(nested(r, 1 + r.int(2000))) : json(r.chance(0.5) ? [item, item] : item);
    return { endpoint: '', method: 'POST', path: '/rsv/records', headers: oddHeaders(r, t, { 'content-type': 'application/json' }), body: bodyFrom(r, valid) };
  },
  'POST /api/v1/samples': (r, t) => {
    const s: Record<string, unknown> = { ...SAMPLE };
    if (r.chance(0.6)) s[r.pick(Object.keys(SAMPLE))] = r.pick<unknown>([Number(r.pick(ODD_NUMBERS)), r.pick(ODD_TEXT), null, true, [], {}, 1e21, -1]);
    const valid = r.chance(0.1) ? Buffer.from(nested(r, 1 + r.int(2000))) : json(r.chance(0.5) ? [s] : { samples: [s, s] });
    return { endpoint: '', method: 'POST', path: '/api/v1/samples', headers: oddHeaders(r, t, { 'content-type': 'application/json' }), body: bodyFrom(r, valid) };
  },
  'POST /write': (r, t) => {
    const valid = Buffer.from(Array.from({ length: 1 + r.int(20) }, () => r.pick(LINES)).join('\n'));
    const precision = r.chance(0.3) ? `&precision=${pct(r.pick(['ns', 'u', 'ms', 's', 'm', 'h', 'x', '']))}` : '';
    return { endpoint: '', method: 'POST', path: `/write?db=fuzz${precision}`, headers: oddHeaders(r, t, {}), body: bodyFrom(r, valid) };
  },
  'POST /api/v2/write (gzip)': (r, t) => {
    const text = bodyFrom(r, Buffer.from(LINES.join('\n')));
    const gz = gzipSync(text);
    const body = r.chance(0.3) ? mutate(r, gz) : r.chance(0.2) ? gz.subarray(0, r.int(gz.length)) : gz;
    const q = `org=o&bucket=${pct(r.pick(['b', ...ODD_TEXT]))}&precision=${r.pick(['ns', 'us', 'ms', 's', 'x'])}`;
    return { endpoint: '', method: 'POST', path: `/api/v2/write?${q}`, headers: oddHeaders(r, t, { 'content-encoding': 'gzip' }), body };
  },
  'POST /login': (r, t) => {
    // Five failures lock a user name: these cases use other names, or the admin the other cases send would be locked out.
    const fields = [`username=${pct(r.pick(['nobody', ...ODD_TEXT]))}`, `password=${pct(r.pick(ODD_TEXT))}`, `next=${pct(r.pick(ODD_TEXT))}`];
    if (r.chance(0.1)) fields.push(...Array.from({ length: 900 + r.int(300) }, (_, i) => `f${i}=1`));
    const asJson = r.chance(0.3);
    const valid = asJson ? json({ username: r.pick(['nobody', ...ODD_TEXT]), password: r.pick(ODD_TEXT), next: r.pick(ODD_TEXT) }) : Buffer.from(fields.join('&'));
    const headers = oddHeaders(r, t, { 'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded' });
    return { endpoint: '', method: 'POST', path: '/login', headers, body: bodyFrom(r, valid) };
  },
  'token routes': (r, t) => {
    if (r.chance(0.3)) return { endpoint: '', method: 'DELETE', path: `/api/v1/tokens/${pct(r.pick([...ODD_NUMBERS, ...ODD_TEXT]))}`, headers: oddHeaders(r, t, {}) };
    if (r.chance(0.1)) return { endpoint: '', method: 'GET', path: '/api/v1/tokens', headers: oddHeaders(r, t, {}) };
    const valid = json({ name: r.pick(['probe', ...ODD_TEXT]), role: r.pick(['viewer', 'operator', 'admin', 'root', ...ODD_TEXT]), user: r.pick(['admin', 'ghost', ...ODD_TEXT]), service: r.chance(0.3) });
    return { endpoint: '', method: 'POST', path: '/api/v1/tokens', headers: oddHeaders(r, t, { 'content-type': 'application/json' }), body: bodyFrom(r, valid) };
  },
  'POST /api/v1/admin/reload': (r, t) => ({
    endpoint: '', method: 'POST', path: '/api/v1/admin/reload', headers: oddHeaders(r, t, r.chance(0.5) ? { 'content-type': 'application/json' } : {}), body: r.chance(0.5) ? randomBytes(r, 512) : Buffer.alloc(0),
  }),
  'GET graph URLs': (r, t) => {
    const mount = r.pick(['xml', 'csv', 'json', 'html', 'xml', 'csv', 'json', r.chance(0.1) ? 'bar_graphs' : 'json']);
    const name = r.chance(0.9) && t.queries.length ? r.pick(t.queries) : r.pick(ODD_TEXT);
    return { endpoint: '', method: 'GET', path: `/gratia/${mount}/${pct(name)}?${query(r, GRAPH_PARAMS)}`, headers: oddHeaders(r, t, {}) };
  },
  'GET /api/v1/samples': (r, t) => {
    const path = r.pick(['/api/v1/samples', '/api/v1/samples/latest', '/samples/', `/rsv/host/${pct(r.pick(ODD_TEXT))}`, `/rsv/metric/${pct(r.pick(ODD_TEXT))}`]);
    return { endpoint: '', method: 'GET', path: `${path}?${query(r, SAMPLE_PARAMS)}`, headers: oddHeaders(r, t, {}) };
  },
  'POST /grafana/query': (r, t) => {
    const target: Record<string, unknown> = { refId: 'A', target: r.chance(0.8) && t.queries.length ? r.pick(t.queries) : r.pick(ODD_TEXT) };
    if (r.chance(0.6)) target.payload = { [r.pick(GRAPH_PARAMS)]: r.pick(ODD_TEXT) };
    const body: Record<string, unknown> = { targets: [target], range: { from: r.pick(['2026-03-01T00:00:00Z', ...ODD_TEXT]), to: r.pick(['2026-03-02T00:00:00Z', ...ODD_NUMBERS]) } };
    if (r.chance(0.3)) body.adhocFilters = [{ key: 'vo', operator: r.pick(['=~', '!~', '=', '=|']), value: r.pick(ODD_TEXT) }];
    if (r.chance(0.2)) body.maxDataPoints = Number(r.pick(ODD_NUMBERS));
    return { endpoint: '', method: 'POST', path: '/grafana/query', headers: oddHeaders(r, t, { 'content-type': 'application/json' }), body: bodyFrom(r, json(body)) };
  },
  'POST /grafana (other)': (r, t) => {
    const path = r.pick(['/grafana/search', '/grafana/metrics', '/grafana/metric-payload-options', '/grafana/tag-keys', '/grafana/tag-values', '/grafana/variable', '/grafana/annotations']);
    const valid = json({ target: r.pick(t.queries.length ? t.queries : ['x']), metric: r.pick(ODD_TEXT), name: r.pick(GRAPH_PARAMS), key: r.pick(['vo', 'facility', ...ODD_TEXT]), payload: { target: r.pick(ODD_TEXT) } });
    return { endpoint: '', method: 'POST', path, headers: oddHeaders(r, t, { 'content-type': 'application/json' }), body: bodyFrom(r, valid) };
  },
  'any path, unreadable body': (r, t) => {
    const path = r.pick(['/', '/nowhere', '/rsv/', '/metrics', '/api/v1/tokens', '/grafana/', `/${pct(r.pick(ODD_TEXT))}`]);
    const ct = `${r.pick(TYPES.filter(Boolean))}; charset=${r.pick(CHARSETS)}`;
    const body = r.chance(0.2) ? Buffer.from(Array.from({ length: 1001 + r.int(2000) }, (_, i) => `p${i}=1`).join('&')) : bodyFrom(r, Buffer.from('{"a":[1,2,{"b":"c"}]}'));
    return { endpoint: '', method: 'POST', path, headers: oddHeaders(r, t, { 'content-type': ct, ...(r.chance(0.3) ? { 'content-encoding': r.pick(ENCODINGS) } : {}) }), body };
  },
};

export const ENDPOINTS = Object.keys(GENERATORS);

/** Case `n`: endpoints take turns, so every one gets its share in any run length. */
export function makeCase(n: number, r: Random, t: FuzzTarget): FuzzCase {
  const endpoint = ENDPOINTS[n % ENDPOINTS.length]!;
  const c = GENERATORS[endpoint]!(r, t);
  for (const [k, v] of Object.entries(c.headers)) c.headers[k] = printable(v);
  return { ...c, endpoint };
}
