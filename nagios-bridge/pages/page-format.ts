/** How the Nagios pages write times, ages and rates. */

/** `2026-03-01 10:00:05 UTC`; '' for none. */
export function utc(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `42 s`, `5 min`, `3 h`, `2 d`. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** Results per minute with one decimal (`0.5`, `120.0`). */
export function perMinute(count: number, minutes: number): string {
  return (minutes > 0 ? count / minutes : 0).toFixed(1);
}
