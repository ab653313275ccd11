// R-style formula expressions (src/formula/expr): parsing with R's precedence and R's deparse.
// R 4.2: deparse(str2lang(s)) for each s below, e.g. deparse(str2lang("1e-3*x")) # "0.001 * x"
import { describe, expect, it } from 'vitest';
import { Parser, deparse, exprColumns, tokenize, type Expr } from '../../src/formula/expr';

const parse = (s: string): Expr => {
  const p = new Parser(tokenize(s), s);
  const e = p.parseSum();
  expect(p.done()).toBe(true);
  return e;
};

describe('parse + deparse round trip, as R deparse(str2lang(s))', () => {
  const cases: Array<[string, string]> = [
    ['log(x + 1)', 'log(x + 1)'], ['I(x^2)', 'I(x^2)'], ['a:b', 'a:b'], ['x/2', 'x/2'], ['-x', '-x'],
    ['1e-3*x', '0.001 * x'], ['a*b+c', 'a * b + c'], ['(a+b)*c', '(a + b) * c'], ['x^2^3', 'x^2^3'], ['-x^2', '-x^2'],
    ['log(x, 10)', 'log(x, 10)'], ['poly(x, 2, raw = TRUE)', 'poly(x, 2, raw = TRUE)'], ['`my var` + 1', '`my var` + 1'],
    ['a + b:c', 'a + b:c'], ['0.1+0.2', '0.1 + 0.2'],
  ];
  for (const [src, r] of cases) it(`${src} => ${r}`, () => expect(deparse(parse(src))).toBe(r));
});

describe('precedence', () => {
  it('^ is right-associative and binds tighter than unary minus; : binds tighter than * and +', () => {
    const e = parse('-x^2^3') as Extract<Expr, { k: 'neg' }>;
    expect(e.k).toBe('neg');
    const pow = e.e as Extract<Expr, { k: 'bin' }>;
    expect(pow.op).toBe('^');
    expect((pow.r as Extract<Expr, { k: 'bin' }>).op).toBe('^'); // x^(2^3)
    const s = parse('a + b:c * d') as Extract<Expr, { k: 'bin' }>;
    expect(s.op).toBe('+');
    const prod = s.r as Extract<Expr, { k: 'bin' }>;
    expect(prod.op).toBe('*');
    expect((prod.l as Extract<Expr, { k: 'bin' }>).op).toBe(':');
  });
  it('parses a whole formula into response and right-hand side', () => {
    const f = new Parser(tokenize('log(y) ~ x + z'), 'log(y) ~ x + z').parseFormula();
    expect(deparse(f.lhs!)).toBe('log(y)');
    expect(deparse(f.rhs)).toBe('x + z');
  });
});

describe('exprColumns and errors', () => {
  it('lists the columns read, not constants or named options', () => {
    expect(exprColumns(parse('log(x + pi) + poly(z, 2, raw = TRUE) + TRUE + x:w'))).toEqual(['x', 'z', 'w']);
  });
  it('names the position of a bad character or token', () => {
    expect(() => tokenize('y ~ x $ z')).toThrow("formula 'y ~ x $ z': unexpected character '$' at position 7");
    expect(() => new Parser(tokenize('y ~ x +'), 'y ~ x +').parseFormula()).toThrow(/at end of formula/);
    expect(() => new Parser(tokenize('y x'), 'y x').parseFormula()).toThrow(/expected '~'/);
  });
});
