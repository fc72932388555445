/** A fresh private Nagios 4 with the benchmark's hosts and services for one peer, disposed of afterwards. */
import { join } from 'node:path';
import { createNagios, type NagiosInstance } from '../../test/support/nagios.js';
import { benchObjects } from './bench-results.js';

/** Runs `work` with a started Nagios of its own; stops it and removes its directory afterwards, whatever happens. */
export async function withFreshNagios<T>(work: (nagios: NagiosInstance, statusFile: string) => Promise<T>): Promise<T> {
  const nagios = createNagios(benchObjects());
  try {
    await nagios.start();
    return await work(nagios, join(nagios.dir, 'status.dat'));
  } finally {
    await nagios.dispose();
  }
}

/** How long to wait for status.dat: generous for a loaded machine, but never forever. */
export const statusTimeoutMs = (results: number): number => 60_000 + results;
