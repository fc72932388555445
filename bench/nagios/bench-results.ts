/**
 * The passive results every peer of the Nagios benchmark sends: 16 hosts × 64 services, `rounds` results per service
 * with check times one second apart, so the last round's output in status.dat shows that a service got all of its own.
 */
import { formatCommand, type PassiveResult } from '../../nagios-bridge/index.js';

/** One host per client: each client sends only its own host's results, in order, as an agent on that host would. */
export const HOSTS = 16;
export const SERVICES_PER_HOST = 64;
export const SERVICES = HOSTS * SERVICES_PER_HOST;

export const hostName = (h: number): string => `bench-${String(h).padStart(2, '0')}.example.org`;
export const serviceName = (s: number): string => `svc-${String(s).padStart(2, '0')}`;

/** Host → its services, as `createNagios` takes them. */
export function benchObjects(): Record<string, string[]> {
  const services = Array.from({ length: SERVICES_PER_HOST }, (_, s) => serviceName(s));
  return Object.fromEntries(Array.from({ length: HOSTS }, (_, h) => [hostName(h), services]));
}

/** How many rounds carry at least `n` results (every round is one result for each of the SERVICES). */
export const roundsFor = (n: number): number => Math.max(1, Math.ceil(n / SERVICES));

/** The output of round `r`: the round is in the text, so status.dat tells which result a service shows. */
export const outputOf = (r: number): string => `OK: bench round ${r}`;

/** The result of host `h`, service `s`, round `r`; check time `firstTime + r`. */
export function benchResult(h: number, s: number, r: number, firstTime: number): PassiveResult {
  return { kind: 'service', host: hostName(h), service: serviceName(s), state: 0, output: outputOf(r), perfdata: `round=${r}`, checkTime: firstTime + r, source: 'nrdp' };
}

/** The `i`-th result host `h`'s client sends (round-major: every service once, then the next round). */
export function hostResult(h: number, i: number, firstTime: number): PassiveResult {
  return benchResult(h, i % SERVICES_PER_HOST, Math.floor(i / SERVICES_PER_HOST), firstTime);
}

/** Every result as external command lines, round by round across all hosts (as results arrive from many agents). */
export function commandLines(rounds: number, firstTime: number): string[] {
  const lines: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let h = 0; h < HOSTS; h++) for (let s = 0; s < SERVICES_PER_HOST; s++) lines.push(formatCommand(benchResult(h, s, r, firstTime)));
  }
  return lines;
}

/** What status.dat shows for every service once all `rounds` arrived: `host;service` → the last round's output. */
export function finalOutputs(rounds: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let h = 0; h < HOSTS; h++) for (let s = 0; s < SERVICES_PER_HOST; s++) out.set(`${hostName(h)};${serviceName(s)}`, outputOf(rounds - 1));
  return out;
}
