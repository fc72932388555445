/** One component lifecycle: parts start in order and stop in reverse; a reload validates every part, then applies in order, rolling back on failure. */
import { errorMessage } from './errors.js';
import { silentLogger, type Logger } from './log.js';

/** What a part does when its configuration changes: nothing, or a function that puts its previous state back. */
export type Undo = () => void | Promise<void>;

/** One long-lived part of the appliance over configuration `C`. Every hook is optional. */
export interface Component<C> {
  readonly name: string;
  /** Starts the part (loops, listeners). A failure stops the parts already started, in reverse, and fails the start. */
  start?(): void | Promise<void>;
  /** Stops the part; the lifecycle calls it once, after every part after it in the list has stopped. */
  stop?(): void | Promise<void>;
  /** The problems of `next` for this part (`file:line:col: message`); any problem of any part rejects the reload. */
  validate?(next: C): readonly string[] | Promise<readonly string[]>;
  /**
   * Puts `next` into effect. It may return an {@link Undo}; without one, a rollback applies `previous` again.
   * Throwing fails the reload: this part and the ones applied before it are rolled back.
   */
  apply?(next: C, previous: C): void | Undo | Promise<void | Undo>;
}

/** What a reload did, said as it is. */
export interface ReloadResult {
  applied: boolean;
  /** Validation problems (the running configuration stays), or the failure and its rollback. */
  issues: string[];
  /** The part whose apply failed (validation problems leave this unset). */
  failed?: string;
  /** The parts put back on the previous configuration after `failed`, in the order they were rolled back. */
  rolledBack?: string[];
}

export interface Lifecycle<C> {
  /** Starts every part in order. */
  start(): Promise<void>;
  /** Stops the started parts in reverse order; every part is stopped even when one fails, then the first failure is thrown. */
  stop(): Promise<void>;
  /** Validates `next` with every part, then applies it in order; one reload at a time. */
  reload(next: C): Promise<ReloadResult>;
  /** The configuration in effect. */
  current(): C;
}

/** Builds the lifecycle of `components` (in start order), running on `initial`. */
export function createLifecycle<C>(components: readonly Component<C>[], initial: C, options: { logger?: Logger } = {}): Lifecycle<C> {
  const logger = options.logger ?? silentLogger;
  let current = initial;
  const started: Component<C>[] = [];
  // Reloads run one after another: two applying at once would interleave their parts' states.
  let queue: Promise<unknown> = Promise.resolve();

  const stopAll = async (): Promise<void> => {
    let first: Error | undefined;
    for (const c of started.splice(0).reverse()) {
      try {
        await c.stop?.();
      } catch (err) {
        logger.error(`stopping ${c.name} failed: ${errorMessage(err)}`);
        first ??= err instanceof Error ? err : new Error(errorMessage(err));
      }
    }
    if (first !== undefined) throw first;
  };

  const reloadNow = async (next: C): Promise<ReloadResult> => {
    const issues: string[] = [];
    for (const c of components) {
      try {
        issues.push(...((await c.validate?.(next)) ?? []));
      } catch (err) {
        issues.push(`${c.name}: cannot check the new configuration: ${errorMessage(err)}`);
      }
    }
    if (issues.length) return { applied: false, issues };

    const previous = current;
    const applied: { component: Component<C>; undo: Undo }[] = [];
    for (const c of components) {
      if (!c.apply) continue;
      try {
        const undo = await c.apply(next, previous);
        applied.push({ component: c, undo: undo ?? (() => c.apply!(previous, next) as void | Promise<void>) });
      } catch (err) {
        // The failed part may have changed some of its state: it is put back too, then the ones before it.
        applied.push({ component: c, undo: () => c.apply!(previous, next) as void | Promise<void> });
        const rolledBack: string[] = [];
        const lines = [`${c.name}: ${errorMessage(err)}`];
        for (const { component, undo } of applied.reverse()) {
          try {
            await undo();
            rolledBack.push(component.name);
          } catch (undoErr) {
            lines.push(`${component.name}: rollback failed, it may run a mix of both configurations: ${errorMessage(undoErr)}`);
          }
        }
        return { applied: false, issues: lines, failed: c.name, rolledBack };
      }
    }
    current = next;
    return { applied: true, issues: [] };
  };

  return {
    async start() {
      for (const c of components) {
        try {
          await c.start?.();
        } catch (err) {
          await stopAll().catch(() => undefined);
          throw err;
        }
        started.push(c);
      }
    },
    stop: stopAll,
    reload(next) {
      const run = queue.then(() => reloadNow(next));
      queue = run.catch(() => undefined);
      return run;
    },
    current: () => current,
  };
}
