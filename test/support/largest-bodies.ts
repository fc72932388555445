/**
 * The largest write bodies the shipped limits allow (8 MB, 10,000 samples or records; 50,000 line-protocol lines) and
 * an 8 MB nested-JSON body, for the stall test and the stall benchmark. Body `n` uses its own nodes, so none duplicates another.
 */

/** The shipped collector limits these bodies fill. */
export const LIMITS = { maxBodyBytes: 8 * 1024 * 1024, maxSamples: 10_000, maxRecords: 10_000, maxLines: 50_000 } as const;

/** A body, where it goes, and how many samples it stores when accepted (0: it must be refused). */
export interface LargeBody {
  name: string;
  path: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  samples: number;
  /** The node every sample of the body has, to count them afterwards. */
  node: string;
}

const pad = (n: number) => 'x'.repeat(n);
/** UTF-8 bytes on their own ArrayBuffer, as fetch takes a body. */
const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** 10,000 samples of about 800 bytes each: just under 8 MB of JSON. */
export function largestSamples(n: number): LargeBody {
  const node = `stall-samples-${n}`;
  const details = pad(Math.floor(LIMITS.maxBodyBytes / LIMITS.maxSamples) - 120);
  const samples = Array.from({ length: LIMITS.maxSamples }, (_, i) => ({ node, metric: 'stall.value', time: 1_700_000_000 + i, value: i, details }));
  return { name: 'samples (10,000, 8 MB)', path: '/api/v1/samples', contentType: 'application/json', body: bytes(JSON.stringify(samples)), samples: LIMITS.maxSamples, node };
}

/** 10,000 WLCG records of about 800 bytes each: just under 8 MB of text. */
export function largestRecords(n: number): LargeBody {
  const node = `stall-records-${n}.example.edu`;
  const details = pad(Math.floor(LIMITS.maxBodyBytes / LIMITS.maxRecords) - 250);
  let text = '';
  for (let i = 0; i < LIMITS.maxRecords; i++) {
    text +=
      `metricName: org.osg.stall.m${i % 5}\nmetricType: status\ntimestamp: ${1_700_000_000 + i}\nmetricStatus: OK\nserviceType: OSG-CE\n` +
      `serviceURI: ${node}:2119\ngatheredAt: rsv.example.edu\nsummaryData: OK\ndetailsData: ${details}\nEOT\n`;
  }
  return { name: 'RSV records (10,000, 8 MB)', path: '/rsv/records', contentType: 'text/plain', body: bytes(text), samples: LIMITS.maxRecords, node };
}

/** 50,000 lines, two fields each: 100,000 samples. */
export function largestLines(n: number): LargeBody {
  const node = `stall-lines-${n}`;
  const lines: string[] = [];
  for (let i = 0; i < LIMITS.maxLines; i++) lines.push(`stall,host=${node},cpu=cpu${i % 64} idle=${i}.5,user=${i % 7}i ${1_700_000_000 + i}`);
  return { name: 'line protocol (50,000 lines)', path: '/write?db=telegraf&precision=s', contentType: 'text/plain; charset=utf-8', body: bytes(lines.join('\n')), samples: 2 * LIMITS.maxLines, node };
}

/** 8 MB of nested arrays: refused by the depth limit. */
export function nestedJson(n: number): LargeBody {
  const depth = LIMITS.maxBodyBytes / 2 - 16;
  return { name: 'nested JSON (8 MB)', path: n % 2 ? '/rsv/records' : '/api/v1/samples', contentType: 'application/json', body: bytes('['.repeat(depth) + ']'.repeat(depth)), samples: 0, node: `stall-nested-${n}` };
}

/** `rounds` of each kind of body, in an order that mixes them. */
export function largestBodies(rounds: number): LargeBody[] {
  const out: LargeBody[] = [];
  for (let r = 0; r < rounds; r++) out.push(largestSamples(r), largestRecords(r), largestLines(r), nestedJson(r));
  return out;
}
