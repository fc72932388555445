/**
 * The line-protocol parser against the real thing: each body goes to Debian's InfluxDB 1.6.7 and to the parser, and both
 * accept or both refuse it. The few intended differences are listed with their reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineProtocolError, parseLineProtocol } from '../../collector/line-protocol/index.js';
import { INFLUXD, installed, startInfluxd, type Influxd } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';

const available = installed(INFLUXD);
if (!available) serviceMissing('InfluxDB', `${INFLUXD} is missing: apt-get install -y influxdb`);

const SAME: string[] = [
  // Refused by both.
  'cpu', 'cpu,host=a', 'cpu ', ',host=a value=1', 'cpu,host value=1', 'cpu,host= value=1', 'cpu,=a value=1', 'cpu,k=a=b value=1',
  'cpu,k=a,k=b value=1', 'cpu,time=a value=1', 'cpu value', 'cpu value=', 'cpu =1', 'cpu time=1', 'cpu value=abc', 'cpu msg="open',
  'cpu n=9223372036854775808i', 'cpu n=-1u', 'cpu v=1e999', 'cpu v=NaN', 'cpu value=1 12a', 'cpu value=1 1.5', 'cpu value=1 1 2',
  'cpu value=1 9223372036854775808', 'cpu a=1,', 'm v=+1', 'm v=1i2', 'm v=0x10', 'm v=1_000',
  // Accepted by both.
  'm a=1,b=1.0,c=-1.2e+78,d=.5,e=1.,f=-0,g=3E-2', 'm a=12i,b=-9223372036854775808i,c=9223372036854775807i',
  'm a=t,b=T,c=true,d=True,e=TRUE,f=f,g=F,h=false,i=False,j=FALSE', 'm s=""', 'm v=1 -1000', 'm v=1   ', 'my\\ cpu\\,x=y value=1',
  'cpu,ta\\ g\\=k=v\\,a\\ l\\=ue fi\\,eld\\ k\\=ey=2', 'log msg="say \\"hi\\", a=b \\\\ c" 1', 'log msg="a\nb" 1', 'm v=1,v=2', 'm  v=1', 'm v=1  5',
  '  m v=1', 'm,a=1  v=1', '# comment\nm v=1\n\nm v=2 2', 'cpu,host=a\\b v=1',
];

/** Where the parser deliberately differs from 1.6.7: [body, InfluxDB 1.6 accepts, why]. */
const DIFFERENT: [string, boolean, string][] = [
  ['m d=12u', false, 'unsigned integers came with InfluxDB 1.8/2.x and are in the reference; 1.6 predates them'],
  ['m v=1\r\n', false, 'Windows agents end lines with CRLF; 1.6 reads the CR as part of the value'],
  ['cpu ok="t"x', true, '1.6 ignores text after a closing quote; the parser says where the field went wrong'],
  [`m s="${'x'.repeat(65_536)}"`, true, 'the reference limits string fields to 64 KB; 1.6 stores longer ones'],
];

describe.skipIf(!available)('line protocol decisions match InfluxDB 1.6.7', () => {
  let influx: Influxd;
  let db = 0;
  beforeAll(async () => {
    influx = await startInfluxd();
  });
  afterAll(() => influx?.dispose());

  /** Whether InfluxDB stores the body (each body into its own database, so field types never conflict). */
  const influxAccepts = async (body: string) => {
    const name = `t${++db}`;
    await influx.query(`CREATE DATABASE ${name}`);
    const res = await fetch(`${influx.url}/write?db=${name}`, { method: 'POST', body });
    return res.status === 204;
  };
  const parserAccepts = (body: string) => {
    try {
      parseLineProtocol(body, { nowNs: 0n });
      return true;
    } catch (err) {
      if (err instanceof LineProtocolError) return false;
      throw err;
    }
  };

  it.each(SAME)('decides %j as InfluxDB does', async (body) => {
    expect(parserAccepts(body)).toBe(await influxAccepts(body));
  });

  it.each(DIFFERENT)('differs on %j on purpose', async (body, accepted, _why) => {
    expect(await influxAccepts(body)).toBe(accepted);
    expect(parserAccepts(body)).toBe(!accepted);
  });
});
