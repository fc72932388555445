/** The `RateCard` class type: prices, overrides and validity from XML; every problem at file:line:col with its element. */
import { afterAll, describe, expect, it } from 'vitest';
import { priceAt } from '../../accounting/index.js';
import { removeTempDirs } from '../support/temp-files.js';
import { at, loadRateCard } from './billing-support.js';

afterAll(removeTempDirs);

describe('RateCard configuration', () => {
  it('reads currency, rounding, charge time, base prices, a group override and validity dates', () => {
    const { card, issues } = loadRateCard(`<class type="RateCard" name="standard">
  <attribute name="currency">EUR</attribute>
  <attribute name="rounding">half-up</attribute>
  <attribute name="charge_time">running</attribute>
  <attribute name="time_zone">Europe/Berlin</attribute>
  <price from="2026-01-01" core_hour="0.05" ram_gb_hour="0.01" vm_fee="1.00"/>
  <price from="2026-11-10T12:00:00Z" core_hour="0.08"/>
  <price group="cms" from="2026-01-01" until="2027-01-01" core_hour="0.03" CPU_COST="0.5"/>
</class>`);
    expect(issues).toEqual([]);
    expect(card).toMatchObject({ name: 'standard', currency: 'EUR', decimals: 2, rounding: 'half-up', chargeTime: 'running' });
    // A date alone is local midnight in the card's zone: 2026-01-01 00:00 in Berlin is 2025-12-31 23:00 UTC.
    expect(card!.rules[0]!.from).toBe(at('2025-12-31T23:00:00Z'));
    const rate = (group: string, iso: string) => priceAt(card!, 'cpu', group, at(iso))?.rate.toString();
    expect(rate('atlas', '2026-11-10T11:59:59Z')).toBe('0.05');
    expect(rate('atlas', '2026-11-10T12:00:00Z')).toBe('0.08');
    expect(rate('cms', '2026-11-20T00:00:00Z')).toBe('0.03');
    // The override ends; the base price in force then applies again.
    expect(rate('cms', '2027-01-01T00:00:00Z')).toBe('0.08');
    // An override prices only what it names: memory falls through to the base.
    expect(priceAt(card!, 'memory', 'cms', at('2026-11-20T00:00:00Z'))?.rate.toString()).toBe('0.01');
    expect(priceAt(card!, 'cpu_share', 'cms', at('2026-11-20T00:00:00Z'))?.rate.toString()).toBe('0.5');
    expect(priceAt(card!, 'disk', 'atlas', at('2026-11-20T00:00:00Z'))).toBeUndefined();
    expect(rate('atlas', '2025-06-01T00:00:00Z')).toBeUndefined();
  });

  it('reports every bad value at its element, and does not stop at the first', () => {
    const { issues } = loadRateCard(`<class type="RateCard" name="bad">
  <attribute name="rounding">banker</attribute>
  <attribute name="decimals">9</attribute>
  <attribute name="charge_time">wall</attribute>
  <attribute name="curency">EUR</attribute>
  <price from="2026-13-01" core_hour="0.05"/>
  <price from="2026-10-01" core_hour="-1" ram_gb_hour="0.1e3"/>
  <price from="2026-10-01" until="2026-09-01" vm_fee="1"/>
  <price from="2026-10-01" group="" vm_fee="1"/>
  <price from="2026-11-01"/>
  <price from="2026-12-01" core_hour="1" cpu_hour="2"/>
  <price from="2026-12-01" vm_fee="3"/>
  <rate core_hour="1"/>
</class>`);
    expect(issues).toEqual([
      'rates.xml:6:3: warning: RateCard "bad": unknown attribute "curency"; did you mean "currency"?',
      'rates.xml:4:3: RateCard "bad": decimals "9" is not a whole number from 0 to 6',
      'rates.xml:3:3: RateCard "bad": rounding "banker" is not one of half-even, half-up',
      'rates.xml:5:3: RateCard "bad": charge_time "wall" is not one of allocated, running',
      'rates.xml:7:3: RateCard "bad": <price from="2026-13-01">: from="2026-13-01" is not a date (2026-10-15) or an instant (2026-10-15T12:00:00Z)',
      'rates.xml:8:3: RateCard "bad": <price from="2026-10-01">: core_hour="-1" is not a price; write a non-negative decimal number such as 0.042',
      'rates.xml:8:3: RateCard "bad": <price from="2026-10-01">: ram_gb_hour="0.1e3" is not a price; write a non-negative decimal number such as 0.042',
      'rates.xml:9:3: RateCard "bad": <price from="2026-10-01">: until="2026-09-01" is not after from',
      'rates.xml:10:3: RateCard "bad": <price group="" from="2026-10-01">: group="" names no group; leave it out for the base prices',
      'rates.xml:11:3: RateCard "bad": <price from="2026-11-01">: sets no price (known: core_hour, cpu_share_hour, CPU_COST, ram_gb_hour, ram_mb_hour, MEMORY_COST, disk_gb_month, disk_mb_hour, DISK_COST, public_ip_hour, vm_fee)',
      'rates.xml:12:3: RateCard "bad": <price from="2026-12-01">: unknown attribute "cpu_hour" (known: from, until, group, core_hour, cpu_share_hour, CPU_COST, ram_gb_hour, ram_mb_hour, MEMORY_COST, disk_gb_month, disk_mb_hour, DISK_COST, public_ip_hour, vm_fee)',
      'rates.xml:13:3: RateCard "bad": a second <price> from the same instant; merge them',
      'rates.xml:14:3: RateCard "bad": unknown element <rate> (known: attribute, price)',
    ]);
  });

  it('two prices of one component under both names, and a card without prices, are errors', () => {
    expect(loadRateCard(`<class type="RateCard" name="x"><price CPU_COST="1" cpu_share_hour="2"/></class>`).issues).toEqual([
      'rates.xml:2:33: RateCard "x": <price>: CPU_COST prices cpu_share a second time',
      'rates.xml:2:1: RateCard "x": has no <price> element, so it would charge nothing',
    ]);
  });
});
