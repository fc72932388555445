/** A router whose routes can be replaced while the server runs: a configuration reload swaps in the new URL tree without remounting. */
import { Router } from 'express';

export interface SwitchableRouter {
  /** Mount this once; it forwards every request to the current routes. */
  router: Router;
  /** Requests from now on go to `next`; requests already inside the old routes finish there. */
  replace(next: Router): void;
}

/** Wraps `initial` so a reload can {@link SwitchableRouter.replace} it. */
export function switchableRouter(initial: Router): SwitchableRouter {
  let current = initial;
  const router = Router();
  router.use((req, res, next) => current(req, res, next));
  return { router, replace: (next) => (current = next) };
}
