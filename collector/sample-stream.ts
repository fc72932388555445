/**
 * `GET /api/v1/samples/stream`: a subscription as server-sent events. A client that reconnects with
 * `Last-Event-ID` first gets what it missed (from the store), then the live samples, without gap or repeat.
 */
import type { Request, Response } from 'express';
import type { MonitoringRepository } from './monitoring-repository.js';
import { sampleJson } from './sample-json.js';
import { globMatcher } from './globs.js';
import type { StoredSample } from './types.js';

export interface StreamOptions {
  repository: MonitoringRepository;
  node: string;
  metric: string;
  heartbeatMs?: number;
  /** A client that lets this much pile up unread is cut off (it reconnects with Last-Event-ID). */
  maxBufferedBytes?: number;
  /** Most samples replayed after a reconnect. */
  maxReplay?: number;
  /**
   * Where to resume when the request has no `Last-Event-ID` header (`?last_event_id=`): a page that reconnects on its
   * own schedule (with backoff) opens a new EventSource, which cannot set the header.
   */
  lastEventId?: string;
  /** Only samples this accepts are sent (`?kind=states`: probe states only, so a status page is not sent every metric sample). */
  accept?: (s: StoredSample) => boolean;
}

const REPLAY_PAGE = 1_000;

/** Starts the stream; returns a function that ends it (for shutdown). */
export function streamSamples(req: Request, res: Response, options: StreamOptions): () => void {
  const { repository } = options;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  let lastSent = 0;
  let backlog: StoredSample[] | undefined;
  let closed = false;

  const accept = options.accept ?? (() => true);
  const send = (samples: readonly StoredSample[]) => {
    if (closed) return;
    let text = '';
    for (const s of samples) {
      if (s.id <= lastSent || !accept(s)) continue;
      lastSent = s.id;
      text += `id: ${s.id}\nevent: sample\ndata: ${JSON.stringify(sampleJson(s))}\n\n`;
    }
    if (text) res.write(text);
    if (res.writableLength > maxBuffered) close();
  };
  const notify = (samples: readonly StoredSample[]) => {
    if (backlog) backlog.push(...samples);
    else send(samples);
  };
  // Subscribing first (and buffering) means nothing committed during the replay is lost.
  const subscription = repository.subscribe(options.node, options.metric, notify);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    repository.unsubscribe(subscription);
    res.end();
  }
  req.on('close', close);

  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write(`retry: 5000\n: subscribed node=${options.node} metric=${options.metric}\n\n`);

  const lastId = Number(req.headers['last-event-id'] ?? options.lastEventId ?? NaN);
  if (!Number.isSafeInteger(lastId) || lastId < 0) return close;
  backlog = [];
  lastSent = lastId;
  void replay(lastId).then(
    () => {
      const pending = backlog ?? [];
      backlog = undefined;
      send(pending);
    },
    () => close(),
  );
  return close;

  async function replay(after: number): Promise<void> {
    const node = globMatcher([options.node]);
    const metric = globMatcher([options.metric]);
    let cursor = after;
    let replayed = 0;
    while (!closed && replayed < (options.maxReplay ?? 100_000)) {
      const page = await repository.readAfter(cursor, REPLAY_PAGE);
      if (!page.length) return;
      cursor = page[page.length - 1]!.id;
      const mine = page.filter((s) => node(s.node) && metric(s.metric));
      replayed += mine.length;
      send(mine);
      if (page.length < REPLAY_PAGE) return;
    }
  }
}
