/** The console logger: one human line per message as the CLI prints it, or pino JSON lines carrying an ISO timestamp; levels below the chosen one are dropped. */
import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../common/index.js';

describe('console logger', () => {
  it('prints LEVEL message k=v, quoting values with spaces, and drops lower levels', () => {
    const lines: string[] = [];
    const log = createConsoleLogger('info', (l) => lines.push(l));
    log.debug('hidden');
    log.info('Fabric Appliance listening on http://localhost:8080/', { store: 'sqlite data/appliance.db', n: 3 });
    log.error('reload failed', { error: undefined });
    expect(lines).toEqual(['INFO Fabric Appliance listening on http://localhost:8080/ store="sqlite data/appliance.db" n=3', 'ERROR reload failed']);
  });

  it('stamped, each human line starts with its ISO 8601 UTC time', () => {
    const lines: string[] = [];
    const log = createConsoleLogger('info', (l) => lines.push(l), 'stamped');
    log.warn('MySQL connection lost', { host: 'db' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z WARN MySQL connection lost host=db$/);
  });

  it('in JSON, each line is an object with the level, the message, the fields and an ISO 8601 time', () => {
    const lines: string[] = [];
    const log = createConsoleLogger('debug', (l) => lines.push(l), 'json');
    const before = Date.now();
    log.warn('MySQL connection lost', { host: 'db' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', msg: 'MySQL connection lost', host: 'db' });
    expect(entry.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(String(entry.time))).toBeGreaterThanOrEqual(before - 1000);
  });
});
