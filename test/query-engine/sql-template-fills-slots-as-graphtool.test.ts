/** `<slot>`/`<filler>` templates render as GraphTool's str(Sql): each piece wrapped in single spaces, unfilled slots empty. */
import { describe, expect, it } from 'vitest';
import { fillTemplate, templateSlots, templateText, type SqlTemplate } from '../../query-engine/sql/index.js';

const template: SqlTemplate = [
  '\n  SELECT ',
  { slot: 'group' },
  ', sum(WallDuration) FROM MasterSummaryData R ',
  { slot: 'join' },
  { slot: 'JOIN' },
  ' WHERE R.EndTime >= :starttime ',
  { slot: 'where' },
  ' GROUP BY ',
  { slot: 'group' },
  '\n',
];

describe('fillTemplate', () => {
  it('wraps every piece in single spaces and leaves unfilled slots empty', () => {
    expect(fillTemplate(['a', { slot: 's' }, 'b'], {})).toBe(' a    b ');
    expect(fillTemplate(['a', { slot: 's' }, 'b'], { s: 'X' })).toBe(' a  X  b ');
  });

  it('fills every occurrence of a slot, case-sensitively, and ignores unknown fillers', () => {
    const sql = fillTemplate(template, { group: 'VO.VOName', JOIN: 'JOIN Site S', where: 'AND WallDuration > 0', nothere: 'DROP TABLE VO' });
    expect(sql).toBe(
      ' \n  SELECT   VO.VOName  , sum(WallDuration) FROM MasterSummaryData R     JOIN Site S   WHERE R.EndTime >= :starttime   AND WallDuration > 0   GROUP BY   VO.VOName  \n ',
    );
    expect(sql).not.toContain('DROP');
  });

  it('a grandchild re-fills a slot by merging fillers child over parent', () => {
    const parent = { group: 'VO.VOName', where: 'AND a' };
    const grandchild = { where: 'AND b' };
    expect(fillTemplate(['W', { slot: 'where' }], { ...parent, ...grandchild })).toBe(' W  AND b ');
  });

  it('does not take slot names from the prototype', () => {
    expect(fillTemplate([{ slot: 'constructor' }, { slot: 'toString' }], {})).toBe('    ');
  });
});

describe('templateText and templateSlots', () => {
  it('shows the template as written, with unfilled slots as <slot/>', () => {
    expect(templateText(['SELECT ', { slot: 'group' }, ' FROM t ', { slot: 'where' }], { group: 'x' })).toBe('SELECT x FROM t <slot name="where"/>');
  });

  it('lists slots once each, in order', () => {
    expect(templateSlots(template)).toEqual(['group', 'join', 'JOIN', 'where']);
  });
});
