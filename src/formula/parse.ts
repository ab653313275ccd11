/**
 * R-style model formulas: a tokenizer, a recursive-descent parser with R's operator
 * precedence, R's deparser (so that labels such as `log(x + 1)` or `I(x^2)` match R's column
 * names), and R's term expansion (`a*b`, `a:b`, `(a+b)^2`, `-x`, `-1`/`+0`).
 *
 * Terms are sets of variables; as in R's `terms.formula`, variables are numbered in order of
 * first appearance, a term's label lists its variables in that order, and terms are sorted by
 * degree (main effects, then two-way interactions, ...), stable within a degree.
 */

export type Expr =
  | { readonly k: 'num'; readonly v: number; readonly text: string }
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly named: readonly (readonly [string, Expr])[] }
  | { readonly k: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'neg'; readonly e: Expr }
  | { readonly k: 'paren'; readonly e: Expr };

interface Token { t: 'num' | 'id' | 'op' | 'str'; v: string; pos: number }

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (/[0-9.]/.test(c) && !(c === '.' && /[A-Za-z_]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?L?/.exec(src.slice(i));
      if (!m) throw new Error(`formula '${src}': cannot read a number at position ${i + 1}`);
      out.push({ t: 'num', v: m[0].replace(/L$/, ''), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_.]/.test(c)) {
      const m = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new Error(`formula '${src}': unclosed backtick at position ${i + 1}`);
      out.push({ t: 'id', v: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const j = src.indexOf(c, i + 1);
      if (j < 0) throw new Error(`formula '${src}': unclosed string at position ${i + 1}`);
      out.push({ t: 'str', v: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '%' ) {
      const j = src.indexOf('%', i + 1);
      if (j < 0) throw new Error(`formula '${src}': unclosed %op% at position ${i + 1}`);
      out.push({ t: 'op', v: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    if ('~+-*/:^(),=|'.includes(c)) {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    throw new Error(`formula '${src}': unexpected character '${c}' at position ${i + 1}`);
  }
  return out;
}

/** Parser with R's precedence: ~ < + - < * / < %op% < : < unary - < ^ (right assoc). */
class Parser {
  private i = 0;
  constructor(private readonly toks: Token[], private readonly src: string) {}
  private peek(): Token | undefined { return this.toks[this.i]; }
  private isOp(v: string): boolean { const t = this.peek(); return !!t && t.t === 'op' && t.v === v; }
  private fail(msg: string): never {
    const t = this.peek();
    throw new Error(`formula '${this.src}': ${msg}${t ? ` at position ${t.pos + 1} ('${t.v}')` : ' at end of formula'}`);
  }
  private expect(v: string): void { if (!this.isOp(v)) this.fail(`expected '${v}'`); this.i++; }
  done(): boolean { return this.i >= this.toks.length; }

  parseFormula(): { lhs: Expr | null; rhs: Expr } {
    let lhs: Expr | null = null;
    if (!this.isOp('~')) lhs = this.parseSum();
    if (!this.isOp('~')) this.fail("expected '~'");
    this.i++;
    const rhs = this.parseSum();
    if (!this.done()) this.fail('unexpected token');
    return { lhs, rhs };
  }
  parseSum(): Expr {
    let l: Expr;
    if (this.isOp('-')) { this.i++; l = { k: 'neg', e: this.parseProd() }; }
    else if (this.isOp('+')) { this.i++; l = this.parseProd(); }
    else l = this.parseProd();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.peek()!.v; this.i++;
      l = { k: 'bin', op, l, r: this.parseProd() };
    }
    return l;
  }
  private parseProd(): Expr {
    let l = this.parseSpecial();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.peek()!.v; this.i++;
      l = { k: 'bin', op, l, r: this.parseSpecial() };
    }
    return l;
  }
  private parseSpecial(): Expr {
    let l = this.parseColon();
    while (this.peek()?.t === 'op' && this.peek()!.v.startsWith('%')) {
      const op = this.peek()!.v; this.i++;
      l = { k: 'bin', op, l, r: this.parseColon() };
    }
    return l;
  }
  private parseColon(): Expr {
    let l = this.parseUnary();
    while (this.isOp(':')) { this.i++; l = { k: 'bin', op: ':', l, r: this.parseUnary() }; }
    return l;
  }
  private parseUnary(): Expr {
    if (this.isOp('-')) { this.i++; return { k: 'neg', e: this.parseUnary() }; }
    if (this.isOp('+')) { this.i++; return this.parseUnary(); }
    return this.parsePow();
  }
  private parsePow(): Expr {
    const base = this.parseAtom();
    if (this.isOp('^')) { this.i++; return { k: 'bin', op: '^', l: base, r: this.parseUnary() }; }
    return base;
  }
  private parseAtom(): Expr {
    const t = this.peek();
    if (!t) this.fail('unexpected end');
    if (t.t === 'num') { this.i++; return { k: 'num', v: Number(t.v), text: t.v }; }
    if (t.t === 'str') { this.i++; return { k: 'str', v: t.v }; }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      let e = this.parseSum();
      // lme4-style random-effects term (1 | g); kept as a special, never a design column.
      if (this.isOp('|')) { this.i++; e = { k: 'bin', op: '|', l: e, r: this.parseSum() }; }
      this.expect(')');
      return { k: 'paren', e };
    }
    if (t.t === 'id') {
      this.i++;
      if (this.isOp('(')) {
        this.i++;
        const args: Expr[] = [];
        const named: [string, Expr][] = [];
        if (!this.isOp(')')) {
          for (;;) {
            const a = this.peek(); const b = this.toks[this.i + 1];
            if (a && a.t === 'id' && b && b.t === 'op' && b.v === '=') {
              this.i += 2;
              named.push([a.v, this.parseSum()]);
            } else args.push(this.parseSum());
            if (this.isOp(',')) { this.i++; continue; }
            break;
          }
        }
        this.expect(')');
        return { k: 'call', fn: t.v, args, named };
      }
      return { k: 'var', name: t.v };
    }
    this.fail('unexpected token');
  }
}

function fmtNum(e: { v: number; text: string }): string {
  // R deparses numeric constants in their shortest form (15 significant digits).
  const s = String(Number(e.v.toPrecision(15)));
  return s;
}

/** R's deparse for the expressions that occur in formulas. */
export function deparse(e: Expr): string {
  switch (e.k) {
    case 'num': return fmtNum(e);
    case 'str': return `"${e.v}"`;
    case 'var': return /^[A-Za-z.][A-Za-z0-9_.]*$/.test(e.name) && !/^\.\d/.test(e.name) ? e.name : `\`${e.name}\``;
    case 'paren': return `(${deparse(e.e)})`;
    case 'neg': return `-${deparse(e.e)}`;
    case 'call': {
      const parts = e.args.map(deparse).concat(e.named.map(([n, v]) => `${n} = ${deparse(v)}`));
      return `${e.fn}(${parts.join(', ')})`;
    }
    case 'bin':
      if (e.op === '^' || e.op === ':' || e.op === '/') return `${deparse(e.l)}${e.op}${deparse(e.r)}`;
      return `${deparse(e.l)} ${e.op} ${deparse(e.r)}`;
  }
}

/** Column names an expression reads (for missing-value checks and error messages). */
export function exprColumns(e: Expr, out: string[] = []): string[] {
  switch (e.k) {
    case 'var': if (!out.includes(e.name) && e.name !== 'TRUE' && e.name !== 'FALSE' && e.name !== 'pi') out.push(e.name); break;
    case 'paren': case 'neg': exprColumns(e.e, out); break;
    case 'bin': exprColumns(e.l, out); exprColumns(e.r, out); break;
    case 'call':
      e.args.forEach((a) => exprColumns(a, out));
      // Named args of poly/factor (raw = TRUE, levels = ...) are options, not columns.
      break;
    default: break;
  }
  return out;
}

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

/** Evaluates a numeric expression (arithmetic, log, exp, sqrt, abs, I) for row i. */
export type ColumnGetter = (name: string) => ArrayLike<unknown>;

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

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined || v === '') return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  const n = Number(v);
  return n;
}
