/** Bodies over 1 MB are decoded from UTF-8 in pieces with turns of the event loop between: the same text as toString, no character split. */
import { describe, expect, it } from 'vitest';
import { decodeUtf8InSlices, unstorableChar } from '../../collector/text-check.js';

describe('decodeUtf8InSlices', () => {
  // 1, 2, 3 and 4-byte characters, repeated so that every offset within a character meets a 1 MB piece boundary.
  const mixed = 'a é € 𝄞 '.repeat(300_000);
  it.each([
    ['ASCII', 'line,host=a value=1\n'.repeat(200_000)],
    ['characters of every UTF-8 length across piece boundaries', mixed],
    ['a body one byte short of a piece', 'x'.repeat((1 << 20) - 1)],
    ['a body ending in a 4-byte character just past a piece', `${'x'.repeat((1 << 20) - 2)}𝄞`],
  ])('decodes %s as Buffer.toString does', async (_name, text) => {
    const body = Buffer.from(text, 'utf8');
    const decoded = await decodeUtf8InSlices(body);
    expect(decoded.length).toBe(text.length);
    expect(decoded === body.toString('utf8')).toBe(true);
  });

  it('lets a timer run between pieces of a large body', async () => {
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    const decoding = decodeUtf8InSlices(Buffer.from('y'.repeat(6 << 20)));
    await decoding;
    expect(ticked).toBe(true);
  });
});

describe('unstorableChar', () => {
  it.each([
    ['plain text', 'OK: all good ✓', undefined],
    ['a NUL', 'a\0b', 'a NUL character (\\u0000) at character 2'],
    ['a lone high surrogate', 'ab\ud800', 'a lone surrogate (\\ud800) at character 3'],
    ['a lone low surrogate', '\udc00x', 'a lone surrogate (\\udc00) at character 1'],
    ['a surrogate pair (a 4-byte character)', '𝄞', undefined],
  ])('%s: %s', (_name, text, expected) => {
    expect(unstorableChar(text)).toBe(expected);
  });
});
