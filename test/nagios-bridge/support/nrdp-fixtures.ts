/** NRDP submissions as send_nrdp and NCPA make them, and entry settings with two tokens. */
import { entrySettings } from '../../../nagios-bridge/entries/index.js';

export const NCPA_TOKEN = 'ncpa-token-0123456789abcdef';
export const LIMITED_TOKEN = 'limited-token-0123456789abcdef';

/** What send_nrdp.sh posts: `token`, `cmd=submitcheck` and `XMLDATA`, form-encoded. */
export function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

export const SEND_NRDP_XML = `<?xml version='1.0'?>
<checkresults>
  <checkresult type='service' checktype='1'>
    <hostname>osg-edu.cs.wisc.edu</hostname>
    <servicename>org.osg.general.ping-host</servicename>
    <state>2</state>
    <output>CRITICAL: host down &amp; not answering | rta=5ms;3;5
second line
third line | pl=100%</output>
  </checkresult>
  <checkresult type='host' checktype='1'>
    <hostname>osg-edu.cs.wisc.edu</hostname>
    <state>1</state>
    <output>DOWN</output>
  </checkresult>
  <checkresult>
    <hostname>rsv.example.edu</hostname>
    <state>0</state>
    <output>UP</output>
    <time>1772358000</time>
  </checkresult>
</checkresults>`;

export const nrdpSettings = () =>
  entrySettings({
    nrdpTokens: [
      { name: 'ncpa', secret: NCPA_TOKEN },
      { name: 'limited', secret: LIMITED_TOKEN, hosts: 'rsv\\.example\\.edu', services: 'org\\.osg\\..*' },
    ],
  });
