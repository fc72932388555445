/** A safe evaluator for the Python arithmetic GraphTool configs use as defaults, e.g. `time.time()-13*86400`. */

/**
 * Why an expression was refused. `token` is the offending text as written and `column` its 1-based
 * position in the evaluated string, so a config error can point at it.
 */
export class ExpressionError extends Error {
  readonly token: string;
  readonly column: number;

  constructor(message: string, token: string, column: number) {
    super(`${message} (at column ${column}: "${token}")`);
    this.name = 'ExpressionError';
    this.token = token;
    this.column = column;
  }
}

/** An evaluated number, keeping Python 2's int/float distinction (it decides `/` and how the value prints). */
export type ExpressionValue = { type: 'int'; value: number } | { type: 'float'; value: number };

/** What an expression may refer to: only the request's clock, read by `time.time()`. */
export interface ExpressionContext {
  now: Date;
}

type Token =
  | { kind: 'number'; text: string; column: number; value: ExpressionValue }
  | { kind: 'name'; text: string; column: number }
  | { kind: 'op'; text: '+' | '-' | '*' | '/' | '(' | ')' | '.'; column: number }
  | { kind: 'end'; text: ''; column: number }
  // Refused text: reported only when the parser reaches it, so errors come in reading order.
  | { kind: 'bad'; text: string; column: number; message: string };

const ALLOWED = 'only numbers, + - * / ( ) and time.time() are allowed';
const NUMBER = /^(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const MAX_DEPTH = 100;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const bad = (t: string, column: number, message: string): Token[] => {
    tokens.push({ kind: 'bad', text: t, column, message }, { kind: 'end', text: '', column: text.length + 1 });
    return tokens;
  };
  while (i < text.length) {
    const rest = text.slice(i);
    const column = i + 1;
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const raw = number[0];
      const isInt = /^\d+$/.test(raw);
      // Python 2 reads 010 as octal 8 and 08 as a syntax error; refusing avoids a silent difference.
      if (isInt && raw.length > 1 && raw.startsWith('0')) {
        return bad(raw, column, 'an integer with a leading zero is not allowed (Python 2 would read it as octal)');
      }
      const value = Number(raw);
      if (isInt && !Number.isSafeInteger(value)) return bad(raw, column, 'integer too large');
      tokens.push({ kind: 'number', text: raw, column, value: { type: isInt ? 'int' : 'float', value } });
      i += raw.length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      i += name[0].length;
      continue;
    }
    if (rest.startsWith('**') || rest.startsWith('//')) {
      return bad(rest.slice(0, 2), column, `operator "${rest.slice(0, 2)}" is not allowed; ${ALLOWED}`);
    }
    if (c === '+' || c === '-' || c === '*' || c === '/' || c === '(' || c === ')' || c === '.') {
      tokens.push({ kind: 'op', text: c, column });
      i += 1;
      continue;
    }
    return bad(c, column, `unexpected character; ${ALLOWED}`);
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

/** Recursive descent over Python's precedence: `+ -` < `* /` < unary `+ -` < atoms. */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly ctx: ExpressionContext,
  ) {}

  parse(): ExpressionValue {
    const value = this.sum();
    const next = this.peek();
    if (next.kind !== 'end') this.unexpected(next);
    return value;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private take(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos += 1;
    return t;
  }

  private unexpected(t: Token): never {
    if (t.kind === 'end') throw new ExpressionError('the expression ends too early', '', t.column);
    if (t.kind === 'bad') throw new ExpressionError(t.message, t.text, t.column);
    if (t.kind === 'name') throw new ExpressionError(`unknown name "${t.text}"; ${ALLOWED}`, t.text, t.column);
    throw new ExpressionError(`unexpected "${t.text}"; ${ALLOWED}`, t.text, t.column);
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.text);
  }

  private sum(): ExpressionValue {
    let left = this.product();
    while (this.isOp(this.peek(), '+', '-')) {
      const op = this.take();
      const right = this.product();
      left = arithmetic(op, left, right);
    }
    return left;
  }

  private product(): ExpressionValue {
    let left = this.unary();
    while (this.isOp(this.peek(), '*', '/')) {
      const op = this.take();
      const right = this.unary();
      left = arithmetic(op, left, right);
    }
    return left;
  }

  private unary(): ExpressionValue {
    const t = this.peek();
    // URL values reach here too: bound the recursion so `((((…` is a 400, not a stack overflow.
    if (++this.depth > MAX_DEPTH) throw new ExpressionError('the expression is nested too deeply', t.text, t.column);
    try {
      if (this.isOp(t, '-', '+')) {
        this.take();
        const operand = this.unary();
        return t.text === '-' ? { type: operand.type, value: -operand.value } : operand;
      }
      return this.atom();
    } finally {
      this.depth -= 1;
    }
  }

  private atom(): ExpressionValue {
    const t = this.take();
    if (t.kind === 'number') return t.value;
    if (this.isOp(t, '(')) {
      const inner = this.sum();
      const close = this.take();
      if (!this.isOp(close, ')')) this.unexpected(close);
      return inner;
    }
    if (t.kind === 'name' && t.text === 'time') return this.timeCall();
    return this.unexpected(t);
  }

  /** `time.time()`, the only call: the request's clock in epoch seconds, as a float like Python's. */
  private timeCall(): ExpressionValue {
    const dot = this.take();
    if (!this.isOp(dot, '.')) this.unexpected(dot);
    const member = this.take();
    if (member.kind !== 'name') this.unexpected(member);
    if (member.text !== 'time') throw new ExpressionError(`"time.${member.text}" is not allowed; only time.time() is`, member.text, member.column);
    const open = this.take();
    if (!this.isOp(open, '(')) this.unexpected(open);
    const close = this.take();
    if (!this.isOp(close, ')')) {
      if (close.kind === 'end') this.unexpected(close);
      throw new ExpressionError('time.time() takes no arguments', close.text, close.column);
    }
    return { type: 'float', value: this.ctx.now.getTime() / 1000 };
  }
}

function arithmetic(op: Token, a: ExpressionValue, b: ExpressionValue): ExpressionValue {
  const bothInt = a.type === 'int' && b.type === 'int';
  let value: number;
  switch (op.text) {
    case '+':
      value = a.value + b.value;
      break;
    case '-':
      value = a.value - b.value;
      break;
    case '*':
      value = a.value * b.value;
      break;
    default:
      if (b.value === 0) throw new ExpressionError('division by zero', op.text, op.column);
      // Python 2: int / int is floor division.
      value = bothInt ? Math.floor(a.value / b.value) : a.value / b.value;
  }
  if (!Number.isFinite(value)) throw new ExpressionError('the result is not a finite number', op.text, op.column);
  if (bothInt && !Number.isSafeInteger(value)) throw new ExpressionError('integer result too large', op.text, op.column);
  return { type: bothInt ? 'int' : 'float', value };
}

/**
 * Evaluates `text` as Python 2 arithmetic: decimal numbers (int, float, exponent), `+ - * /`, parentheses,
 * unary minus/plus and `time.time()`. Integer division floors, as in Python 2. Anything else throws an
 * {@link ExpressionError} naming the token and its column; nothing is ever handed to `eval`.
 */
export function evaluateExpression(text: string, ctx: ExpressionContext): ExpressionValue {
  return new Parser(tokenize(text), ctx).parse();
}
