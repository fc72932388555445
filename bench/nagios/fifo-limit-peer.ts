/** The limit line: every result written straight into a fresh Nagios's command FIFO, timed until status.dat shows all. */
import { formatCount } from '../support/timing.js';
import { commandLines, finalOutputs, roundsFor, SERVICES } from './bench-results.js';
import { pipeBufWrites, writeIntoFifo } from './fifo-limit.js';
import { statusTimeoutMs, withFreshNagios } from './fresh-nagios.js';
import { untilStatusShows } from './status-watch.js';
import type { Peer } from './peers.js';

export const fifoLimitPeer: Peer = {
  name: 'limit: results written straight into the command FIFO',
  async run(o) {
    const rounds = roundsFor(o.results);
    const results = rounds * SERVICES;
    const firstTime = Math.floor(Date.now() / 1000) - rounds - 60;
    // Built before the clock starts: only Nagios's reading and processing is timed.
    const writes = pipeBufWrites(commandLines(rounds, firstTime));
    return withFreshNagios(async (nagios, statusFile) => {
      const start = writeIntoFifo(nagios.commandFile, writes);
      const { writtenAt } = await untilStatusShows(statusFile, finalOutputs(rounds), statusTimeoutMs(results));
      const ms = writtenAt - start;
      return [{ key: 'limit', peer: 'FIFO (limit)', work: `${formatCount(writes.length)} writes of <= 4096 bytes`, results, ms, rate: (results * 1000) / ms, note: 'not durable' }];
    });
  },
};
