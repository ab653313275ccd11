/**
 * R-style formula expressions: a tokenizer, a recursive-descent parser with R's operator
 * precedence, and R's deparser (so that labels such as `log(x + 1)` or `I(x^2)` match R's
 * column names). Term expansion is in ./parse.
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

/** Splits formula text into numbers, names (backquoted names kept whole), strings and operators, each with its 0-based position. Errors: an unexpected character, naming its 1-based position. */
export function tokenize(src: string): Token[] {
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
export class Parser {
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
