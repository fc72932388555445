/** Sharing the event loop between long jobs: one time-boxed slice of work per loop turn, whoever asks, so I/O runs between every slice. */

/** How long one slice of a long job may hold the event loop, in milliseconds. */
export const SLICE_MS = 8;

const waiting: (() => void)[] = [];
let scheduled = false;

function releaseOne(): void {
  const next = waiting.shift();
  // Scheduled from inside the check phase, the next release runs on the next loop turn, after its poll phase (I/O).
  if (waiting.length) setImmediate(releaseOne);
  else scheduled = false;
  next?.();
}

/**
 * Resolves on a later turn of the event loop, one waiter per turn in the order they asked. With plain
 * `setImmediate`, eight concurrent jobs each run a slice in the same check phase, so a request waits for all
 * eight; through this queue it waits for at most one.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(releaseOne);
    }
  });
}

/** A time box for a loop of small steps: `due` once `budgetMs` have passed since the slice began. */
export class Slice {
  private started = performance.now();

  constructor(private readonly budgetMs = SLICE_MS) {}

  /** Whether this slice has used its budget (cheap: one clock read). */
  get due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Waits for the next turn given to this job and starts a new slice. */
  async next(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }

  /** `next()` when the budget is used; otherwise nothing (no promise, no turn). */
  async yieldIfDue(): Promise<void> {
    if (this.due) await this.next();
  }
}

/** `items.map(fn)`, in time-boxed slices with a turn of the event loop between them. */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R, slice = new Slice()): Promise<R[]> {
  const out = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    // Checked every 64 items: the clock read costs more than most steps.
    if ((i & 63) === 63 && slice.due) await slice.next();
    out[i] = fn(items[i]!, i);
  }
  return out;
}

/** `for (const item of items) fn(item)`, in time-boxed slices with a turn of the event loop between them. */
export async function forEachInSlices<T>(items: readonly T[], fn: (item: T, index: number) => void, slice = new Slice()): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if ((i & 63) === 63 && slice.due) await slice.next();
    fn(items[i]!, i);
  }
}
