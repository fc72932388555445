/** Generated line protocol for the collector benchmark: Telegraf's cpu measurement from 500 hosts, one second apart. */

/** Lines per request in the line-protocol section. */
export const LINES_PER_REQUEST = 5000;
const START = Date.parse('2026-01-01T00:00:00Z') / 1000;

/** Body `i`: lines `i * 5000` to `i * 5000 + 4999`, each one field (one sample), distinct host and second. */
export function benchLineProtocolBatch(i: number): string {
  let text = '';
  for (let k = 0; k < LINES_PER_REQUEST; k++) {
    const n = i * LINES_PER_REQUEST + k;
    text += `cpu,host=wn${n % 500}.example.edu,cpu=cpu-total usage_idle=${(n % 1000) / 10} ${START + n}\n`;
  }
  return text;
}
