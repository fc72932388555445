/**
 * Rate cards: what each unit of VM usage costs, per group (VO) and over time. Prices are Decimals (never floats); a
 * card resolves the price of one charge component for one group at one instant, and lists the instants at which any
 * price changes, so a charge is split there.
 */
import { Decimal } from 'decimal.js';

/** Decimal arithmetic for money: 50 significant digits, so nothing is lost before a line total is rounded. */
export const Money = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Money = Decimal;

/**
 * The charge components, in the order an invoice lists them. `cpu` is per vCPU-hour, `cpu_share` per hour of
 * OpenNebula's CPU share (its `CPU_COST`), `memory` per GB-hour, `memory_mb` per MB-hour (`MEMORY_COST`), `disk`
 * per GB-month, `disk_mb` per MB-hour (`DISK_COST`), `public_ip` per IP-hour, `vm_fee` per VM per billing period.
 */
export const CHARGE_COMPONENTS = ['cpu', 'cpu_share', 'memory', 'memory_mb', 'disk', 'disk_mb', 'public_ip', 'vm_fee'] as const;
export type ChargeComponent = (typeof CHARGE_COMPONENTS)[number];

/** The unit each component's quantity is counted in. */
export const COMPONENT_UNITS: Readonly<Record<ChargeComponent, string>> = {
  cpu: 'core-hour',
  cpu_share: 'cpu-share-hour',
  memory: 'GB-hour',
  memory_mb: 'MB-hour',
  disk: 'GB-month',
  disk_mb: 'MB-hour',
  public_ip: 'IP-hour',
  vm_fee: 'VM',
};

/** `allocated`: CPU and memory are charged over STIME–ETIME; `running`: over RSTIME–RETIME (OpenNebula's SHOWBACK_ONLY_RUNNING). */
export const CHARGE_TIMES = ['allocated', 'running'] as const;
export type ChargeTime = (typeof CHARGE_TIMES)[number];

/** How a line total is rounded to the currency's decimals (only line totals are rounded). */
export const ROUNDING_MODES = ['half-even', 'half-up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** One `<price>` element: some components' prices for a group (or every group) from an instant until another. */
export interface PriceRule {
  /** The group (OpenNebula GNAME, the VO) the rule overrides prices for; undefined: the card's base prices. */
  group?: string;
  /** Epoch seconds, inclusive. */
  from: number;
  /** Epoch seconds, exclusive; undefined: until a later rule of the same scope takes over. */
  until?: number;
  prices: Partial<Record<ChargeComponent, Money>>;
}

export interface RateCard {
  name: string;
  /** ISO 4217 code or any label (`EUR`, `USD`); empty for OpenNebula-style unitless costs. */
  currency: string;
  /** Digits after the point of a line total (default 2). */
  decimals: number;
  rounding: RoundingMode;
  chargeTime: ChargeTime;
  rules: PriceRule[];
}

/** A resolved price: what a unit costs, and which rule says so (the rule's start and scope keep invoice lines apart). */
export interface ResolvedPrice {
  rate: Money;
  /** Epoch seconds: the start of the rule that set it. */
  validFrom: number;
  /** The override's group, or `*` for the base prices. */
  scope: string;
}

const inForce = (r: PriceRule, t: number) => r.from <= t && (r.until === undefined || t < r.until);

/**
 * The price of `component` for `group` at instant `t`: the latest-starting rule in force for that group that sets
 * it, else the latest-starting base rule that sets it; undefined when no rule prices it (nothing is charged).
 */
export function priceAt(card: RateCard, component: ChargeComponent, group: string, t: number): ResolvedPrice | undefined {
  let best: PriceRule | undefined;
  for (const scope of [group, undefined]) {
    for (const r of card.rules) {
      if (r.group !== scope || r.prices[component] === undefined || !inForce(r, t)) continue;
      if (best === undefined || r.from > best.from) best = r;
    }
    if (best) return { rate: best.prices[component]!, validFrom: best.from, scope: best.group ?? '*' };
  }
  return undefined;
}

/** Every instant at which some price may change, sorted, without repeats. */
export function priceChangeInstants(card: RateCard): number[] {
  const set = new Set<number>();
  for (const r of card.rules) {
    set.add(r.from);
    if (r.until !== undefined) set.add(r.until);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The card used when the configuration has none: OpenNebula's showback with its `DEFAULT_COST` (CPU_COST,
 * MEMORY_COST and DISK_COST 0, per CPU share-hour, MB-hour and MB-hour, allocated time, no currency). Invoices then
 * show the hours OpenNebula would, at no cost, until an admin configures prices.
 */
export function openNebulaDefaultCard(): RateCard {
  const zero = new Money(0);
  return {
    name: 'opennebula-default',
    currency: '',
    decimals: 2,
    rounding: 'half-even',
    chargeTime: 'allocated',
    rules: [{ from: 0, prices: { cpu_share: zero, memory_mb: zero, disk_mb: zero } }],
  };
}

/** Rounds a line total as the card says. */
export function roundLine(card: RateCard, amount: Money): Money {
  return amount.toDecimalPlaces(card.decimals, card.rounding === 'half-up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_HALF_EVEN);
}
