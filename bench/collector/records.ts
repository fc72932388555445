/** Generated WLCG records for the collector benchmark: distinct hosts, metrics and timestamps, so none is a duplicate. */
import { STATUS_WORDS } from '../../collector/index.js';

const METRICS = ['org.osg.general.ping-host', 'org.osg.certificates.cacert-expiry', 'org.osg.globus.gridftp-simple', 'org.osg.srm.srmping', 'org.osg.batch.jobmanagers-available'];
const START = Date.parse('2026-01-01T00:00:00Z') / 1000;

/** Record number `i` (0-based): 500 hosts, 5 metrics, one timestamp per second. */
export function benchRecord(i: number): string {
  const status = STATUS_WORDS[i % 7 === 0 ? 2 : i % 11 === 0 ? 1 : 0];
  return (
    `metricName: ${METRICS[i % METRICS.length]!}\nmetricType: status\ntimestamp: ${START + i}\nmetricStatus: ${status}\nserviceType: OSG-CE\n` +
    `serviceURI: ce${i % 500}.example.edu:2119\ngatheredAt: rsv.example.edu\nsummaryData: ${status}: probe ${i}\n` +
    `detailsData: Host ce${i % 500} answered in ${i % 97} ms\nsecond line of details\nEOT\n`
  );
}

/** `count` consecutive records starting at `first`, as one body. */
export function benchRecords(first: number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += benchRecord(first + i);
  return text;
}

/** Body `i` of the batched load: records `i * 1000` to `i * 1000 + 999`. */
export function benchRecordThousand(i: number): string {
  return benchRecords(i * 1000, 1000);
}
