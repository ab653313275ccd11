// Numeric evaluation of formula terms (src/formula/compile), against the same arithmetic by hand
// (R evaluates log(x + 1), I(x^2), log(x, 10) elementwise the same way).
import { describe, expect, it } from 'vitest';
import { compileNumeric, toNumber } from '../../src/formula/compile';
import { Parser, tokenize } from '../../src/formula/expr';

const cols: Record<string, unknown[]> = { x: [1, 4, 9], z: ['2', '', true], d: [0, 1, 2] };
const get = (n: string) => { if (!(n in cols)) throw new Error(`no column ${n}`); return cols[n]; };
const f = (s: string) => compileNumeric(new Parser(tokenize(s), s).parseSum(), get, 'test');

describe('compileNumeric', () => {
  it('evaluates arithmetic and the supported functions row by row', () => {
    const cases: Array<[string, (i: number) => number]> = [
      ['log(x + 1)', (i) => Math.log((cols.x[i] as number) + 1)],
      ['I(x^2) - 2 * d / 4', (i) => (cols.x[i] as number) ** 2 - 2 * (cols.d[i] as number) / 4],
      ['log(x, 10)', (i) => Math.log(cols.x[i] as number) / Math.log(10)],
      ['-sqrt(x) + abs(-d) + exp(0) + pi', (i) => -Math.sqrt(cols.x[i] as number) + (cols.d[i] as number) + 1 + Math.PI],
    ];
    for (const [src, want] of cases) for (let i = 0; i < 3; i++) expect(f(src)(i)).toBeCloseTo(want(i), 14);
  });
  it('reads text, blank and logical cells as numbers (blank is NA)', () => {
    const g = f('z + 0');
    expect(g(0)).toBe(2);
    expect(Number.isNaN(g(1))).toBe(true);
    expect(g(2)).toBe(1);
    expect(toNumber(null)).toBeNaN();
  });
  it('names an unsupported function or a string in arithmetic', () => {
    expect(() => f('sin(x)')).toThrow(/test: function 'sin' is not supported/);
    expect(() => f('x + "a"')).toThrow('test: a string constant cannot be used in arithmetic');
  });
});
