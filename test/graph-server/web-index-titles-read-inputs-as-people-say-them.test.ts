/** Index and page headings read a title's `$inputs` as the defaults a person would say ("for all", "for cms"), not "for $vo". */
import { describe, expect, it } from 'vitest';
import { displayTitle } from '../../graph-server/web/site-catalog.js';

const query = (title: string | undefined, inputs: { name: string; default: string }[]) => ({ name: 'q', title, inputs });

describe('displayTitle', () => {
  it.each([
    ['a match-everything default as "all"', 'Wall Hours by Facility for $vo', [{ name: 'vo', default: ' .* ' }], 'Wall Hours by Facility for all'],
    ['an empty default as "all"', 'Exit Code Count for $vo', [{ name: 'vo', default: '' }], 'Exit Code Count for all'],
    ['a plain default as itself', 'Jobs for $vo', [{ name: 'vo', default: 'cms' }], 'Jobs for cms'],
    ['an anchored plain default without its anchors', 'Jobs for $vo', [{ name: 'vo', default: '^cms$' }], 'Jobs for cms'],
    ['a regex default as written', 'Jobs for $vo', [{ name: 'vo', default: 'cms|atlas' }], 'Jobs for cms|atlas'],
    ['longer names first', 'From $starttime ($start)', [{ name: 'start', default: 'a' }, { name: 'starttime', default: 'b' }], 'From b (a)'],
    ['an undeclared input as $name', 'Jobs for $facility', [{ name: 'vo', default: 'cms' }], 'Jobs for $facility'],
  ])('reads %s', (_name, title, inputs, expected) => {
    expect(displayTitle(query(title, inputs))).toBe(expected);
  });

  it('falls back to the query name without a title', () => {
    expect(displayTitle(query(undefined, []))).toBe('q');
  });
});
