/** Numeric evaluation of a parsed formula expression for row i (used for numeric terms and transforms). */
import type { Expr } from './expr';

/** Evaluates a numeric expression (arithmetic, log, exp, sqrt, abs, I) for row i. */
export type ColumnGetter = (name: string) => ArrayLike<unknown>;

/**
 * Compiles a numeric formula expression into a row evaluator (i → value), reading columns through
 * `get` once. Supports + − * / ^, unary minus, pi/TRUE/FALSE, and log (optional base), log2,
 * log10, log1p, exp, sqrt, abs, I, as.numeric — evaluated elementwise as R does. Missing cells
 * give NaN. Errors name `context`: a string constant in arithmetic, an unsupported function.
 */
export function compileNumeric(e: Expr, get: ColumnGetter, context: string): (i: number) => number {
  switch (e.k) {
    case 'num': { const v = e.v; return () => v; }
    case 'str': throw new Error(`${context}: a string constant cannot be used in arithmetic`);
    case 'var': {
      if (e.name === 'pi') return () => Math.PI;
      if (e.name === 'TRUE') return () => 1;
      if (e.name === 'FALSE') return () => 0;
      const col = get(e.name);
      return (i) => toNumber(col[i]);
    }
    case 'paren': return compileNumeric(e.e, get, context);
    case 'neg': { const f = compileNumeric(e.e, get, context); return (i) => -f(i); }
    case 'bin': {
      const l = compileNumeric(e.l, get, context); const r = compileNumeric(e.r, get, context);
      switch (e.op) {
        case '+': return (i) => l(i) + r(i);
        case '-': return (i) => l(i) - r(i);
        case '*': return (i) => l(i) * r(i);
        case '/': return (i) => l(i) / r(i);
        case '^': return (i) => Math.pow(l(i), r(i));
        default: throw new Error(`${context}: operator '${e.op}' is not arithmetic`);
      }
    }
    case 'call': {
      const unary: Record<string, (x: number) => number> = {
        log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p, exp: Math.exp,
        sqrt: Math.sqrt, abs: Math.abs, I: (x) => x, as_numeric: (x) => x, 'as.numeric': (x) => x,
      };
      const f = unary[e.fn];
      if (!f) throw new Error(`${context}: function '${e.fn}' is not supported (supported: log, log2, log10, log1p, exp, sqrt, abs, I, poly(x, d, raw = TRUE), factor)`);
      if (e.args.length !== 1 && !(e.fn === 'log' && e.args.length === 2)) throw new Error(`${context}: ${e.fn}() takes one argument`);
      const a = compileNumeric(e.args[0], get, context);
      if (e.fn === 'log' && e.args.length === 2) {
        const b = compileNumeric(e.args[1], get, context);
        return (i) => Math.log(a(i)) / Math.log(b(i));
      }
      return (i) => f(a(i));
    }
  }
}

/** A cell as a number: numbers as is, booleans 0/1, Dates as ms since 1970, text parsed; null, undefined and '' are NaN (missing). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined || v === '') return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  const n = Number(v);
  return n;
}
