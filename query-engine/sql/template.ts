/** GraphTool's `<sql>` templates: text pieces and `<slot>`s, filled by a derived query's `<filler>`s. */

/** A `<sql>` element's direct children in order: text nodes and `<slot name="X"/>`. */
export type SqlTemplate = (string | { slot: string })[];

/**
 * The SQL GraphTool ran and showed (`str(Sql)`): every piece wrapped in single spaces, each slot replaced by
 * its filler's raw SQL or `''` when unfilled. Slot names are case-sensitive (GW uses both `join` and `JOIN`);
 * fillers naming no slot are ignored. A multi-level chain passes the merged fillers, child over parent.
 */
export function fillTemplate(pieces: readonly (string | { slot: string })[], fillers: Readonly<Record<string, string>>): string {
  let sql = '';
  for (const piece of pieces) {
    const text = typeof piece === 'string' ? piece : Object.hasOwn(fillers, piece.slot) ? fillers[piece.slot]! : '';
    sql += ` ${text} `;
  }
  return sql;
}

/**
 * The template as written, for showing a query definition: text pieces verbatim, a filled slot as its
 * filler, an unfilled one as `<slot name="X"/>`. Unlike {@link fillTemplate} no spaces are added.
 */
export function templateText(pieces: readonly (string | { slot: string })[], fillers: Readonly<Record<string, string>> = {}): string {
  return pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      return Object.hasOwn(fillers, piece.slot) ? fillers[piece.slot]! : `<slot name="${piece.slot}"/>`;
    })
    .join('');
}

/** The slot names of a template, in order of first appearance. */
export function templateSlots(pieces: readonly (string | { slot: string })[]): string[] {
  return [...new Set(pieces.flatMap((p) => (typeof p === 'string' ? [] : [p.slot])))];
}
