/** The safe evaluator reads GraphTool's Python defaults (Python 2 arithmetic, time.time()) and refuses everything else with a position. */
import { describe, expect, it } from 'vitest';
import { evaluateExpression, ExpressionError } from '../../query-engine/inputs/index.js';

const now = new Date(Date.UTC(2016, 5, 13, 15, 27, 33, 250));
const nowSeconds = now.getTime() / 1000;
const evaluate = (text: string) => evaluateExpression(text, { now });

describe('accepted expressions', () => {
  it.each([
    ['28*86400', 'int', 2419200],
    ['86400', 'int', 86400],
    ['3600*24*7', 'int', 604800],
    ['1.5', 'float', 1.5],
    ['1.', 'float', 1],
    ['.25', 'float', 0.25],
    ['1e3', 'float', 1000],
    ['2.5E-1', 'float', 0.25],
    ['(1+2)*3', 'int', 9],
    ['2+3*4', 'int', 14],
    ['10-4-3', 'int', 3],
    ['-5', 'int', -5],
    ['- -5', 'int', 5],
    ['+5', 'int', 5],
    ['-(2+3)*2', 'int', -10],
    // Python 2: int / int floors; a float operand gives true division.
    ['7/2', 'int', 3],
    ['-7/2', 'int', -4],
    ['7.0/2', 'float', 3.5],
    ['7/2.', 'float', 3.5],
    [' 1 + 1 ', 'int', 2],
  ] as const)('%s = %s %d', (text, type, value) => {
    expect(evaluate(text)).toEqual({ type, value });
  });

  it('time.time() is the request clock in float epoch seconds', () => {
    expect(evaluate('time.time()')).toEqual({ type: 'float', value: nowSeconds });
    expect(evaluate('time.time()-13*86400')).toEqual({ type: 'float', value: nowSeconds - 13 * 86400 });
    expect(evaluate('time . time ( ) - 2*86400')).toEqual({ type: 'float', value: nowSeconds - 2 * 86400 });
    expect(evaluateExpression('time.time()', { now: new Date(0) }).value).toBe(0);
  });
});

describe('refused expressions name the offending token and its column', () => {
  it.each([
    ["__import__('os')", '__import__', 1, /unknown name "__import__"/],
    ['time.sleep(1)', 'sleep', 6, /"time\.sleep" is not allowed/],
    ['1;2', ';', 2, /unexpected character/],
    ['2**10', '**', 2, /operator "\*\*" is not allowed/],
    ['7//2', '//', 2, /operator "\/\/" is not allowed/],
    ['5 % 2', '%', 3, /unexpected character/],
    ['os.system("ls")', 'os', 1, /unknown name "os"/],
    ['time', '', 5, /ends too early/],
    ['time.time', '', 10, /ends too early/],
    ['time.time(1)', '1', 11, /takes no arguments/],
    ['math.floor(1.5)', 'math', 1, /unknown name "math"/],
    ['[1][0]', '[', 1, /unexpected character/],
    ['1 2', '2', 3, /unexpected "2"/],
    ['(1+2', '', 5, /ends too early/],
    ['1+2)', ')', 4, /unexpected "\)"/],
    ['', '', 1, /ends too early/],
    ['010', '010', 1, /leading zero/],
    ['10L', 'L', 3, /unknown name "L"/],
    ['1/0', '/', 2, /division by zero/],
    ['1.0/(1-1)', '/', 4, /division by zero/],
    ['lambda: 1', 'lambda', 1, /unknown name "lambda"/],
    ['"abc"', '"', 1, /unexpected character/],
    ['1 if 1 else 2', 'if', 3, /unknown name "if"/],
  ] as const)('%s', (text, token, column, message) => {
    let caught: unknown;
    try {
      evaluate(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    const err = caught as ExpressionError;
    expect(err.token).toBe(token);
    expect(err.column).toBe(column);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`at column ${column}`);
  });

  it('refuses integers that lose precision', () => {
    expect(() => evaluate('99999999999999999999')).toThrow(/integer too large/);
    expect(() => evaluate('9007199254740991*2')).toThrow(/too large/);
    expect(() => evaluate('1e308*10')).toThrow(/not a finite number/);
  });
});

describe('hostile sizes', () => {
  it('refuses deep nesting with an ExpressionError instead of overflowing the stack', () => {
    expect(() => evaluate('('.repeat(100_000) + '1' + ')'.repeat(100_000))).toThrow(ExpressionError);
    expect(() => evaluate('-'.repeat(100_000) + '1')).toThrow(/nested too deeply/);
    expect(evaluate('('.repeat(50) + '1' + ')'.repeat(50))).toEqual({ type: 'int', value: 1 });
  });
});
