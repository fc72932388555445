/** Real services in tests: a suite whose service is missing skips loudly locally and fails under CI=true. */

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Says why a real-service suite cannot run. Locally the caller skips (and this prints a banner);
 * under CI it throws, so a missing service fails the run instead of passing silently.
 */
export function serviceMissing(service: string, how: string): void {
  const message = `${service} is not available: ${how}`;
  if (inCI) throw new Error(`CI=true and ${message}`);
  process.stderr.write(`\n*** SKIPPING ${service} tests: ${message} ***\n\n`);
}
