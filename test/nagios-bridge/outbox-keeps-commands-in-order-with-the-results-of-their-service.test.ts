/** Commands in the outbox: the same partition as their object's results, dedup by request id only, and a transport that cannot carry them. */
import { describe, expect, it, vi } from 'vitest';
import {
  CommandFieldError, defaultBridgeSettings, type BridgeCommand, type DeliveryOutcome, type OutboxItem, type PassiveResult, type Transport,
} from '../../nagios-bridge/index.js';
import { testBackends } from '../support/stores.js';
import { useBridgeStore } from './support/bridge-store.js';

const HOST = 'ce1.example.org';
const result = (service: string, checkTime: number): PassiveResult => ({ kind: 'service', host: HOST, service, state: 2, output: `CRITICAL at ${checkTime}`, checkTime, source: 'nrdp' });
const ack = (service: string, over: Partial<BridgeCommand> = {}): BridgeCommand =>
  ({ kind: 'command', action: 'acknowledge', host: HOST, service, submittedAt: 1000, author: 'ops', comment: `ack ${service}`, sticky: true, notify: false, persistent: false, ...over }) as BridgeCommand;

/** Records every item in the order it was handed over; fails the first `failFirst` result deliveries (retryable). */
function recorder(options: { commands?: boolean; failFirst?: number } = {}) {
  const seen: OutboxItem[] = [];
  let failures = options.failFirst ?? 0;
  const ok = (): DeliveryOutcome => ({ status: 'ok' });
  const transport: Transport = {
    type: 'test',
    deliver(results) {
      if (failures > 0) {
        failures--;
        return Promise.resolve(results.map((): DeliveryOutcome => ({ status: 'retryable', reason: 'down' })));
      }
      seen.push(...results);
      return Promise.resolve(results.map(ok));
    },
    ...(options.commands === false
      ? {}
      : {
          deliverCommands(commands: readonly BridgeCommand[]) {
            seen.push(...commands);
            return Promise.resolve(commands.map(ok));
          },
        }),
  };
  return { transport, seen };
}

for (const backend of testBackends()) {
  describe(`commands in the outbox on ${backend.name}`, () => {
    const { bridge: onStore } = useBridgeStore(backend);
    const bridge = (name: string, transport: Transport) =>
      onStore({ pollMs: 10, transportFor: () => transport, settings: { ...defaultBridgeSettings(), targets: [{ name, type: 'command_file', path: '/unused' }], retryMinMs: 1, retryMaxMs: 5 } });

    it('delivers a command after the results queued before it for the same service, even when those are retried', async () => {
      const rec = recorder({ failFirst: 3 });
      const b = bridge('order', rec.transport);
      await b.submit([result('s1', 100), result('s2', 100)]);
      await b.submitCommands([ack('s1'), ack('s2')]);
      await b.submit([result('s1', 200)]);
      b.start();
      await vi.waitFor(() => expect(rec.seen).toHaveLength(5), { timeout: 5000 });
      const of = (service: string) => rec.seen.filter((i) => i.service === service).map((i) => (i.kind === 'command' ? i.action : i.checkTime));
      expect(of('s1')).toEqual([100, 'acknowledge', 200]);
      expect(of('s2')).toEqual([100, 'acknowledge']);
      // The last item completes just after the transport saw it.
      await vi.waitFor(async () => expect((await b.stats())[0]).toMatchObject({ queued: 0, delivering: 0, dead: 0 }), { timeout: 5000 });
    });

    it('queues a command re-sent with the same request id once, and the same command without an id each time', async () => {
      const b = bridge('dedup', recorder().transport);
      await b.submitCommands([ack('s1', { requestId: 'r-1' })]);
      await b.submitCommands([ack('s1', { requestId: 'r-1', submittedAt: 2000 })]);
      await b.submitCommands([ack('s1'), ack('s1')]);
      const [s] = await b.stats();
      expect(s!.queued).toBe(3);
    });

    it('refuses a bad command naming its field, with nothing of the batch queued', async () => {
      const b = bridge('refuse', recorder().transport);
      await expect(b.submitCommands([ack('s1'), ack('s2', { comment: 'a;b' })])).rejects.toThrow(CommandFieldError);
      await expect(b.submitCommands([ack('s1', { author: '' })])).rejects.toThrow('author: must not be empty');
      const [s] = await b.stats();
      expect(s!.queued).toBe(0);
    });

    it('dead-letters a command a target cannot carry, saying so', async () => {
      const rec = recorder({ commands: false });
      const b = bridge('nocmd', rec.transport);
      b.start();
      await b.submitCommands([ack('s1')]);
      await vi.waitFor(async () => expect(await b.outbox('nocmd')!.queue.dead()).toHaveLength(1), { timeout: 5000 });
      const [dead] = await b.outbox('nocmd')!.queue.dead();
      expect(dead!.lastError).toBe('a test target cannot carry commands (downtimes, acknowledgements)');
    });
  });
}
