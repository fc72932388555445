/** The lines of the Nagios benchmark, in the order they run: the limit first, then the appliance, then each peer. */
import { applianceNrdpPeer, applianceCmdCgiPeer } from './appliance-peer.js';
import { debianCmdCgiPeer } from './debian-cmd-cgi-peer.js';
import { fifoLimitPeer } from './fifo-limit-peer.js';
import { icingaPeer } from './icinga-peer.js';
import { nscaNgPeer } from './nsca-ng-peer.js';

export interface PeerOptions {
  /** Results of the limit, the NRDP batches and NSCA-ng (rounded up to whole rounds of every service). */
  results: number;
  /** Results sent as single cmd.cgi requests to the appliance. */
  single: number;
  /** Results sent one request each to Debian's cmd.cgi run as a CGI. */
  cgi: number;
  /** Where the appliance processes write CPU profiles (`--cpu-prof 1`), one folder per line; none by default. */
  profileDir?: string;
}

/** One measured line of the report. */
export interface PeerLine {
  /** What the targets look lines up by. */
  key: string;
  peer: string;
  work: string;
  results?: number;
  /** Milliseconds end to end. */
  ms?: number;
  /** Results per second end to end. */
  rate?: number;
  requestsPerSecond?: number;
  note?: string;
  /** Set when the line could not be measured: why. */
  unmeasured?: string;
}

export interface Peer {
  name: string;
  /** Runs with fresh instances of what it needs, and stops them all before it returns. */
  run(options: PeerOptions, before: readonly PeerLine[]): Promise<PeerLine[]>;
}

export const NAGIOS_PEERS: readonly Peer[] = [fifoLimitPeer, applianceNrdpPeer, applianceCmdCgiPeer, nscaNgPeer, debianCmdCgiPeer, icingaPeer];
