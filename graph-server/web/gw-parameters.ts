/** GW's refine-form parameters (relative time ranges, anchored names), from the query engine. */
export { gwSpanForRange, gwUiParameters } from '../../query-engine/index.js';
