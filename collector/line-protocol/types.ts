/** The line-protocol stage's types: parsed points, typed field values, timestamp precisions. */

/** One field value with the type line protocol gave it (`1.5`, `1i`, `1u`, `"s"`, `t`). */
export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: bigint }
  | { type: 'uinteger'; value: bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

/** One parsed line: `measurement[,tag=v...] field=v[,...] [timestamp]`. */
export interface LinePoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  /** Nanoseconds since the epoch (the line's timestamp scaled by the precision, or the server's time). */
  timestampNs: bigint;
  /** The 1-based line of the body the point starts on. */
  line: number;
}

/** Precisions of InfluxDB 2.x's `/api/v2/write`. */
export const V2_PRECISIONS = ['ns', 'us', 'ms', 's'] as const;
/** Precisions of InfluxDB 1.x's `/write`: the v2 ones and the short forms `n`, `u`, plus minutes and hours. */
export const V1_PRECISIONS = ['ns', 'us', 'ms', 's', 'n', 'u', 'm', 'h'] as const;
export type Precision = (typeof V1_PRECISIONS)[number];
