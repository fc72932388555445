/**
 * The `RateCard` class type: `<class type="RateCard" name="...">` with currency, rounding and time attributes and
 * `<price from= until= group= core_hour= .../>` elements; every problem is reported at its file, line and element.
 */
import { DateTime } from 'luxon';
import { objectsOfType, warnUnknownAttributes, type BuildContext, type ClassTypeHandler, type ConfigNode, type LoadedConfig } from '../../grammar/index.js';
import {
  CHARGE_TIMES, Money, ROUNDING_MODES, type ChargeComponent, type ChargeTime, type PriceRule, type RateCard, type RoundingMode,
} from './rate-card.js';

/** `<price>` attributes → components. The upper-case ones are OpenNebula's own names and units. */
export const PRICE_ATTRIBUTES: Readonly<Record<string, ChargeComponent>> = {
  core_hour: 'cpu',
  cpu_share_hour: 'cpu_share',
  CPU_COST: 'cpu_share',
  ram_gb_hour: 'memory',
  ram_mb_hour: 'memory_mb',
  MEMORY_COST: 'memory_mb',
  disk_gb_month: 'disk',
  disk_mb_hour: 'disk_mb',
  DISK_COST: 'disk_mb',
  public_ip_hour: 'public_ip',
  vm_fee: 'vm_fee',
};
const RULE_ATTRIBUTES = ['from', 'until', 'group', ...Object.keys(PRICE_ATTRIBUTES)];
const CLASS_ATTRIBUTES = ['currency', 'decimals', 'rounding', 'charge_time', 'time_zone'] as const;
const DECIMAL = /^\d{1,18}(\.\d{1,18})?$/;

/** `2026-10-15` (midnight in the card's time zone) or `2026-10-15T12:00:00Z` / `...+02:00`; undefined when neither. */
function instant(text: string, zone: string): number | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/.test(t)) return undefined;
  const d = DateTime.fromISO(t, { zone });
  return d.isValid ? Math.floor(d.toSeconds()) : undefined;
}

function readRule(el: ConfigNode, label: string, zone: string, ctx: BuildContext): PriceRule | undefined {
  const what = `${label}: <price${el.attrs.group === undefined ? '' : ` group="${el.attrs.group}"`}${el.attrs.from === undefined ? '' : ` from="${el.attrs.from}"`}>`;
  for (const a of Object.keys(el.attrs)) {
    if (!RULE_ATTRIBUTES.includes(a)) ctx.issue(el.pos, `${what}: unknown attribute "${a}" (known: ${RULE_ATTRIBUTES.join(', ')})`);
  }
  let ok = true;
  const from = el.attrs.from === undefined ? 0 : instant(el.attrs.from, zone);
  if (from === undefined) {
    ctx.issue(el.pos, `${what}: from="${el.attrs.from}" is not a date (2026-10-15) or an instant (2026-10-15T12:00:00Z)`);
    ok = false;
  }
  const until = el.attrs.until === undefined ? undefined : instant(el.attrs.until, zone);
  if (el.attrs.until !== undefined && until === undefined) {
    ctx.issue(el.pos, `${what}: until="${el.attrs.until}" is not a date (2026-10-15) or an instant (2026-10-15T12:00:00Z)`);
    ok = false;
  }
  if (from !== undefined && until !== undefined && until <= from) {
    ctx.issue(el.pos, `${what}: until="${el.attrs.until}" is not after from`);
    ok = false;
  }
  const group = el.attrs.group?.trim();
  if (group === '') {
    ctx.issue(el.pos, `${what}: group="" names no group; leave it out for the base prices`);
    ok = false;
  }
  const prices: PriceRule['prices'] = {};
  for (const [attr, component] of Object.entries(PRICE_ATTRIBUTES)) {
    const text = el.attrs[attr];
    if (text === undefined) continue;
    if (!DECIMAL.test(text.trim())) {
      ctx.issue(el.pos, `${what}: ${attr}="${text}" is not a price; write a non-negative decimal number such as 0.042`);
      ok = false;
    } else if (prices[component] !== undefined) {
      ctx.issue(el.pos, `${what}: ${attr} prices ${component} a second time`);
      ok = false;
    } else {
      prices[component] = new Money(text.trim());
    }
  }
  if (ok && Object.keys(prices).length === 0) {
    ctx.issue(el.pos, `${what}: sets no price (known: ${Object.keys(PRICE_ATTRIBUTES).join(', ')})`);
    ok = false;
  }
  return ok ? { ...(group === undefined ? {} : { group }), from: from!, ...(until === undefined ? {} : { until }), prices } : undefined;
}

function oneOf<T extends string>(text: string, values: readonly T[], what: string, pos: ConfigNode['pos'], ctx: BuildContext): T | undefined {
  const v = text.trim().toLowerCase();
  if ((values as readonly string[]).includes(v)) return v as T;
  ctx.issue(pos, `${what} "${text}" is not one of ${values.join(', ')}`);
  return undefined;
}

/**
 * `<class type="RateCard" name="standard">`: attributes `currency` (default empty), `decimals` (0 to 6, default 2),
 * `rounding` (`half-even` default, or `half-up`), `charge_time` (`allocated` default, or `running`), `time_zone` (for
 * dates without a time, default UTC); `<price>` elements with `from` (default: always), `until`, `group` and prices
 * (see PRICE_ATTRIBUTES). Two rules of one scope starting at the same instant are an error: neither would win.
 */
export const rateCardClassType: ClassTypeHandler<RateCard> = {
  type: 'RateCard',
  build(cls, ctx) {
    const label = `RateCard "${cls.name}"`;
    warnUnknownAttributes(cls, CLASS_ATTRIBUTES, label, ctx);
    const a = cls.attributes;
    const zone = a.time_zone?.value.trim() || 'UTC';
    if (!DateTime.now().setZone(zone).isValid) ctx.issue(a.time_zone!.pos, `${label}: time_zone "${zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
    let decimals = 2;
    if (a.decimals) {
      const n = /^\d$/.test(a.decimals.value.trim()) ? Number(a.decimals.value.trim()) : NaN;
      if (n >= 0 && n <= 6) decimals = n;
      else ctx.issue(a.decimals.pos, `${label}: decimals "${a.decimals.value}" is not a whole number from 0 to 6`);
    }
    const rounding: RoundingMode = a.rounding ? oneOf(a.rounding.value, ROUNDING_MODES, `${label}: rounding`, a.rounding.pos, ctx) ?? 'half-even' : 'half-even';
    const chargeTime: ChargeTime = a.charge_time ? oneOf(a.charge_time.value, CHARGE_TIMES, `${label}: charge_time`, a.charge_time.pos, ctx) ?? 'allocated' : 'allocated';
    const rules: PriceRule[] = [];
    for (const el of cls.node.children) {
      if (el.tag === 'attribute') continue;
      if (el.tag !== 'price') {
        ctx.issue(el.pos, `${label}: unknown element <${el.tag}> (known: attribute, price)`);
        continue;
      }
      const rule = readRule(el, label, DateTime.now().setZone(zone).isValid ? zone : 'UTC', ctx);
      if (!rule) continue;
      if (rules.some((r) => r.group === rule.group && r.from === rule.from)) {
        ctx.issue(el.pos, `${label}: a second <price${rule.group === undefined ? '' : ` group="${rule.group}"`}> from the same instant; merge them`);
        continue;
      }
      rules.push(rule);
    }
    if (rules.length === 0) ctx.issue(cls.pos, `${label}: has no <price> element, so it would charge nothing`);
    return { name: cls.name, currency: a.currency?.value.trim() ?? '', decimals, rounding, chargeTime, rules };
  },
};

/** The rate card called `name`, or the first one; undefined when the configuration has none (or not that one). */
export function rateCardOf(config: LoadedConfig, name?: string): RateCard | undefined {
  const cards = objectsOfType<RateCard>(config, 'RateCard');
  return (name === undefined ? cards[0] : cards.find((c) => c.name === name))?.value;
}
