/** A piece of SQL with its own `?` placeholders and their values, spliced in place of a `:name` token. */
import type { SqlValue } from '../../store/index.js';

/** SQL text using `?` placeholders, and the values for them in order. Values are never in `sql`. */
export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}
