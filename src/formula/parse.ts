/**
 * R-style model formulas: R's term expansion (`a*b`, `a:b`, `(a+b)^2`, `-x`, `-1`/`+0`). The expression
 * parser and deparser are in ./expr, numeric evaluation in ./compile (both re-exported here).
 *
 * Terms are sets of variables; as in R's `terms.formula`, variables are numbered in order of
 * first appearance, a term's label lists its variables in that order, and terms are sorted by
 * degree (main effects, then two-way interactions, ...), stable within a degree.
 */
import { type Expr, Parser, deparse, exprColumns, tokenize } from './expr';

export { type Expr, deparse, exprColumns } from './expr';
export { type ColumnGetter, compileNumeric, toNumber } from './compile';

export interface FormulaVariable {
  /** R's deparsed label, e.g. `x1`, `log(x + 1)`, `poly(age, 2, raw = TRUE)`. */
  readonly label: string;
  readonly expr: Expr;
}

/** Terms that shape the model but are not design columns (coxph's strata()/cluster()/frailty(), lme4's (1 | g)). */
export type SpecialKind = 'strata' | 'cluster' | 'offset' | 'frailty' | 'random';
export const SPECIAL_FUNCTIONS: readonly SpecialKind[] = ['strata', 'cluster', 'offset', 'frailty'];

export interface ParsedFormula {
  readonly source: string;
  readonly lhs: Expr | null;
  /** Deparsed response, e.g. `y` or `Surv(time, event)`; null for a one-sided formula. */
  readonly response: string | null;
  /** Columns read by the response expression. */
  readonly responseColumns: readonly string[];
  readonly intercept: boolean;
  readonly variables: readonly FormulaVariable[];
  /** Each term lists variable indices in ascending order; terms sorted by degree like R. */
  readonly terms: readonly (readonly number[])[];
  /** Term labels, R's `attr(terms, "term.labels")`. */
  readonly termLabels: readonly string[];
  readonly specials: readonly { readonly kind: SpecialKind; readonly label: string; readonly expr: Expr; readonly columns: readonly string[] }[];
}

type TermList = number[][];

function termKey(t: readonly number[]): string { return t.join(','); }

function unionTerms(a: TermList, b: TermList): TermList {
  const out = a.slice();
  const seen = new Set(a.map(termKey));
  for (const t of b) if (!seen.has(termKey(t))) { seen.add(termKey(t)); out.push(t); }
  return out;
}

function productTerms(a: TermList, b: TermList): TermList {
  const out: TermList = [];
  const seen = new Set<string>();
  for (const ta of a) for (const tb of b) {
    const s = Array.from(new Set(ta.concat(tb))).sort((x, y) => x - y);
    const k = termKey(s);
    if (!seen.has(k)) { seen.add(k); out.push(s); }
  }
  return out;
}

/**
 * Parses an R model formula (`y ~ a*b + log(x) + strata(la) + cluster(id)`) and expands its
 * terms as R's terms.formula does. Input: the formula text. Output: ParsedFormula (response,
 * intercept, variables in order of appearance, terms sorted by degree, R's term labels, and the
 * special terms strata/cluster/frailty/offset/(1 | g) with their columns). Errors: text without
 * '~', a syntax error (naming the position), or an unsupported operator. Source: R's
 * stats::terms.formula and model.matrix conventions.
 */
export function parseFormula(source: string): ParsedFormula {
  if (typeof source !== 'string' || !source.includes('~')) {
    throw new Error(`formula must be a string containing '~', got ${JSON.stringify(source)}`);
  }
  const p = new Parser(tokenize(source), source);
  const { lhs, rhs } = p.parseFormula();
  const variables: FormulaVariable[] = [];
  const specials: { kind: SpecialKind; label: string; expr: Expr; columns: string[] }[] = [];
  const varIndex = new Map<string, number>();
  // R numbers the response as variable 1; we keep it out of the list but reserve nothing,
  // since term labels only involve right-hand-side variables.
  const varOf = (e: Expr): number => {
    const label = deparse(e);
    let idx = varIndex.get(label);
    if (idx === undefined) { idx = variables.length; variables.push({ label, expr: e }); varIndex.set(label, idx); }
    return idx;
  };
  let intercept = true;
  const fail = (msg: string): never => { throw new Error(`formula '${source}': ${msg}`); };

  // Returns the term list of an expression in formula semantics; intercept changes applied
  // only at the top-level sum (as R does for `-1`, `+0`, `+1`).
  const evalTerms = (e: Expr): TermList => {
    switch (e.k) {
      case 'num':
        if (e.v === 1 || e.v === 0) return [];
        return fail(`a number (${e.text}) cannot be a term; use I(${e.text}) for a constant`);
      case 'str': return fail(`a string cannot be a term`);
      case 'var': return [[varOf(e)]];
      case 'paren':
        if (e.e.k === 'bin' && e.e.op === '|') {
          const label = deparse(e.e);
          if (!specials.some((s) => s.label === label)) specials.push({ kind: 'random', label, expr: e.e, columns: exprColumns(e.e.r) });
          return [];
        }
        return evalTerms(e.e);
      case 'call':
        if ((SPECIAL_FUNCTIONS as readonly string[]).includes(e.fn)) {
          const label = deparse(e);
          if (!specials.some((s) => s.label === label)) specials.push({ kind: e.fn as SpecialKind, label, expr: e, columns: exprColumns(e) });
          return [];
        }
        return [[varOf(e)]];
      case 'neg': return fail('unary minus is only allowed at the top level (e.g. "y ~ x - 1")');
      case 'bin':
        switch (e.op) {
          case '+': return unionTerms(evalTerms(e.l), evalTerms(e.r));
          case '-': return fail('"-" inside a term; only at the top level');
          case ':': return productTerms(evalTerms(e.l), evalTerms(e.r));
          case '*': {
            const a = evalTerms(e.l); const b = evalTerms(e.r);
            return unionTerms(unionTerms(a, b), productTerms(a, b));
          }
          case '^': {
            if (e.r.k !== 'num' || !Number.isInteger(e.r.v) || e.r.v < 1) return fail('^ needs a positive integer power, e.g. (a + b)^2');
            const base = evalTerms(e.l);
            let acc = base;
            for (let d = 1; d < e.r.v; d++) acc = unionTerms(acc, productTerms(acc, base));
            return acc;
          }
          case '%in%': {
            const a = evalTerms(e.l); const b = evalTerms(e.r);
            return productTerms(a, b);
          }
          default: return fail(`operator '${e.op}' is not supported in a formula; wrap arithmetic in I(), e.g. I(x / 2)`);
        }
    }
  };

  // Flatten the top-level sum so that `- term` and intercept flags apply in order.
  const top: { sign: 1 | -1; e: Expr }[] = [];
  const flatten = (e: Expr, sign: 1 | -1): void => {
    if (e.k === 'bin' && (e.op === '+' || e.op === '-')) {
      flatten(e.l, sign);
      flatten(e.r, e.op === '-' ? (sign === 1 ? -1 : 1) : sign);
    } else if (e.k === 'neg') flatten(e.e, sign === 1 ? -1 : 1);
    else top.push({ sign, e });
  };
  flatten(rhs, 1);
  let terms: TermList = [];
  const removed: TermList = [];
  for (const { sign, e } of top) {
    if (e.k === 'num' && (e.v === 0 || e.v === 1)) {
      intercept = sign === 1 ? e.v === 1 : false;
      continue;
    }
    const ts = evalTerms(e);
    if (sign === 1) terms = unionTerms(terms, ts);
    else removed.push(...ts);
  }
  const removedKeys = new Set(removed.map(termKey));
  terms = terms.filter((t) => !removedKeys.has(termKey(t)));
  // Stable sort by degree, as R's terms.formula (keep.order = FALSE).
  terms = terms.map((t, i) => ({ t, i })).sort((a, b) => a.t.length - b.t.length || a.i - b.i).map((x) => x.t);
  // Only variables that survive in some term are kept (R drops removed variables from columns
  // of the design but still reads them; dropping here avoids needless missing-row drops).
  const used = new Set<number>();
  terms.forEach((t) => t.forEach((v) => used.add(v)));
  const remap = new Map<number, number>();
  const keptVars: FormulaVariable[] = [];
  variables.forEach((v, i) => { if (used.has(i)) { remap.set(i, keptVars.length); keptVars.push(v); } });
  const finalTerms = terms.map((t) => t.map((v) => remap.get(v)!));
  const termLabels = finalTerms.map((t) => t.map((v) => keptVars[v].label).join(':'));
  return Object.freeze({
    source,
    lhs,
    response: lhs ? deparse(lhs) : null,
    responseColumns: lhs ? exprColumns(lhs) : [],
    intercept,
    variables: keptVars,
    terms: finalTerms,
    termLabels,
    specials,
  });
}
