/** InfluxDB line protocol ingest: the parser, points as samples, and the `/write` and `/api/v2/write` router. */
export { DEFAULT_LINE_PROTOCOL_LIMITS, createLineProtocolRouter } from './line-protocol-router.js';
export type { LineProtocolLimits, LineProtocolRouterOptions } from './line-protocol-router.js';
export { LineProtocolError, LineProtocolLimitError, parseLineProtocol } from './parse-line-protocol.js';
export type { ParseOptions } from './parse-line-protocol.js';
export { LINE_PROTOCOL_SOURCE, STRING_FIELD_VALUE, fieldNumber, pointsToSamples } from './points-to-samples.js';
export { dateToNanos, nanosPerUnit, nanosToDate } from './precision.js';
export { V1_PRECISIONS, V2_PRECISIONS } from './types.js';
export type { FieldValue, LinePoint, Precision } from './types.js';
