/** The Python 2 semantics the outputs share with the results stage: key ordering, `to_timestamp`, float `repr()`. */
// Not yet exported by query-engine/results/index.ts; this file is the one place to switch once they are.
export { pyCompare, pyFloatRepr, toTimestamp } from '../../query-engine/index.js';
