/** GW's refine-form parameters (relative time ranges, anchored names), from the query engine's inputs stage. */
// Not yet exported by query-engine/index.ts; this file is the one place to switch once they are.
export { gwSpanForRange, gwUiParameters } from '../../query-engine/inputs/index.js';
