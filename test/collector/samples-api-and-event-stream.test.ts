/** The samples HTTP API on every backend: batch insert, range and latest queries, and the server-sent event stream with Last-Event-ID replay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, type CollectorApp } from './support/collector-app.js';

interface SamplesBody {
  count: number;
  samples: { id: number; node: string; metric: string; time: string; value: number; source: string; tags?: Record<string, string> }[];
}

/** Reads server-sent events until `count` sample events arrived. */
async function readEvents(res: Response, count: number): Promise<{ id: number; data: { node: string; value: number } }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: { id: number; data: { node: string; value: number } }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id: Number(id), data: JSON.parse(data) as { node: string; value: number } });
    }
  }
  await reader.cancel();
  return events;
}

describe.each(testBackends())('samples API on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  beforeAll(async () => {
    app = await startCollectorApp(fresh().store);
  });
  afterAll(() => app.close());
  const json = { 'content-type': 'application/json' };

  it('inserts a batch and reads it back by node, metric and range, and the latest per node', async () => {
    const res = await post(app, '/api/v1/samples', JSON.stringify({ samples: [
      { node: 'wn1', metric: 'cpu.load1', time: '2026-03-01T10:00:00Z', value: 0.5, tags: { rack: 'r1' } },
      { node: 'wn1', metric: 'cpu.load1', time: 1772359260, value: 0.7 },
      { node: 'wn2', metric: 'cpu.load1', time: '2026-03-01T10:00:30Z', value: 2.5, source: 'custom' },
    ] }), json);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ inserted: 3 });
    const range = (await (await fetch(`${app.url}/api/v1/samples?node=wn1&metric=cpu.load1&start=2026-03-01T09:00:00Z&end=2026-03-01T11:00:00Z`)).json()) as SamplesBody;
    expect(range.samples.map((s) => [s.time, s.value, s.source])).toEqual([['2026-03-01T10:00:00.000Z', 0.5, 'api'], ['2026-03-01T10:01:00.000Z', 0.7, 'api']]);
    expect(range.samples[0]!.tags).toEqual({ rack: 'r1' });
    const latest = (await (await fetch(`${app.url}/api/v1/samples/latest?metric=cpu.load1&node=wn1,wn2`)).json()) as SamplesBody;
    expect(latest.samples.map((s) => [s.node, s.value])).toEqual([['wn1', 0.7], ['wn2', 2.5]]);
  });

  it('refuses a bad sample with a 400 naming it, and a batch over the limit with a 413 naming the limit', async () => {
    const bad = await post(app, '/api/v1/samples', JSON.stringify([{ node: 'a', metric: 'm', value: 1 }, { node: 'a', metric: 'm', value: 'high' }]), json);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('sample 2: value must be a number');
    const many = await post(app, '/api/v1/samples', JSON.stringify(Array.from({ length: 10_001 }, () => ({ node: 'a', metric: 'm', value: 1 }))), json);
    expect(many.status).toBe(413);
    expect(((await many.json()) as { error: { message: string } }).error.message).toContain('limit of 10000 (setting max_samples_per_request)');
    expect((await fetch(`${app.url}/api/v1/samples?start=tomorrow`)).status).toBe(400);
  });

  it('streams committed samples that match the subscription as server-sent events', async () => {
    const res = await fetch(`${app.url}/api/v1/samples/stream?node=stream-*&metric=disk.used`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = readEvents(res, 2);
    await new Promise((r) => setTimeout(r, 50));
    await post(app, '/api/v1/samples', JSON.stringify([
      { node: 'stream-1', metric: 'disk.used', value: 10 },
      { node: 'other', metric: 'disk.used', value: 11 },
      { node: 'stream-2', metric: 'disk.used', value: 12 },
    ]), json);
    const got = await events;
    expect(got.map((e) => [e.data.node, e.data.value])).toEqual([['stream-1', 10], ['stream-2', 12]]);
    expect(got[1]!.id).toBeGreaterThan(got[0]!.id);
  });

  it('a client reconnecting with Last-Event-ID gets what it missed, then live samples, without repeats', async () => {
    const first = (await (await post(app, '/api/v1/samples', JSON.stringify([{ node: 'replay', metric: 'x', value: 1 }]), json)).json()) as { ids: number[] };
    await post(app, '/api/v1/samples', JSON.stringify([{ node: 'replay', metric: 'x', value: 2 }, { node: 'replay', metric: 'x', value: 3 }]), json);
    const res = await fetch(`${app.url}/api/v1/samples/stream?node=replay&metric=x`, { headers: { 'last-event-id': String(first.ids[0]) } });
    const events = readEvents(res, 3);
    await new Promise((r) => setTimeout(r, 50));
    await post(app, '/api/v1/samples', JSON.stringify([{ node: 'replay', metric: 'x', value: 4 }]), json);
    expect((await events).map((e) => e.data.value)).toEqual([2, 3, 4]);
  });

  it('a page reconnecting on its own schedule resumes with ?last_event_id= (an EventSource cannot set the header)', async () => {
    const first = (await (await post(app, '/api/v1/samples', JSON.stringify([{ node: 'resume', metric: 'x', value: 1 }, { node: 'resume', metric: 'x', value: 2 }]), json)).json()) as { ids: number[] };
    const res = await fetch(`${app.url}/api/v1/samples/stream?node=resume&metric=x&last_event_id=${first.ids[0]}`);
    expect((await readEvents(res, 1)).map((e) => e.data.value)).toEqual([2]);
  });

  it('?kind=states sends only probe states (RSV results, samples tagged with a status word); another kind is a 400 naming it', async () => {
    const res = await fetch(`${app.url}/api/v1/samples/stream?node=kinds&kind=states`);
    const events = readEvents(res, 2);
    await new Promise((r) => setTimeout(r, 50));
    await post(app, '/api/v1/samples', JSON.stringify([{ node: 'kinds', metric: 'cpu', value: 42 }, { node: 'kinds', metric: 'disk', value: 2, tags: { status: 'CRITICAL' } }, { node: 'kinds', metric: 'mem', value: 0, tags: { status: 'OK' } }]), json);
    expect((await events).map((e) => e.data.value)).toEqual([2, 0]);
    const bad = await fetch(`${app.url}/api/v1/samples/stream?kind=all`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/kind/);
  });
});
