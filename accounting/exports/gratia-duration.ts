/** Durations as Gratia's probe library writes them (record.py `Duration`): days the largest unit, float seconds. */

/** 86399 s → `PT23H59M59.0S`, 86400 s → `P1DT0S`, 0 → `PT0S`, 3600 → `PT1H`. Whole seconds only. */
export function gratiaDuration(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError(`a duration is a whole number of seconds >= 0, not ${seconds}`);
  const s = seconds % 60;
  const minutes = Math.floor(seconds / 60) % 60;
  const hours = Math.floor(seconds / 3600) % 24;
  const days = Math.floor(seconds / 86_400);
  let out = 'P';
  if (days > 0) out += `${days}D`;
  if (hours === 0 && minutes === 0 && s === 0) return `${out}T0S`;
  out += 'T';
  if (hours > 0) out += `${hours}H`;
  if (minutes > 0) out += `${minutes}M`;
  if (s > 0) out += `${s}.0S`;
  return out;
}

/** Plain xsd:duration in seconds (`PT86400S`), as EMI CAR readers (APEL's iso2seconds) take it. */
export const secondsDuration = (seconds: number): string => `PT${seconds}S`;
