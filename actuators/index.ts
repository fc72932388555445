/**
 * The Actuator Dispatcher (per-node FIFO, persistent handles) and actuator kinds. Built by its own issue;
 * nothing is exported yet.
 */
export {};
