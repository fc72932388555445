/** The Icinga 2 line: not measured yet, because the bridge's Icinga transport and its test harness are not on main. */
import type { Peer } from './peers.js';

export const icingaPeer: Peer = {
  name: 'Icinga 2: through the bridge vs one API request per result',
  async run() {
    return [{
      key: 'icinga', peer: 'Icinga 2', work: 'bridge vs API, 1 request per result',
      unmeasured: "the bridge's Icinga 2 transport and test/support/icinga.ts (helper h2) had not landed on main when this benchmark was written",
    }];
  },
};
