/**
 * buildDesign: arquero table + ModelSpec → design matrix with R's `model.matrix` naming and
 * column order, response vector, row bookkeeping (rows dropped for missing values, by column),
 * and collinear columns (dropped from x, reported as R reports NA coefficients).
 *
 * Factor coding (R's rule): treatment contrasts for variable v in term T when T without v is
 * in the model (the empty term counts when there is an intercept), full indicator coding
 * otherwise; so `y ~ 0 + f` gives one column per level and `y ~ a + a:f` codes f fully within a.
 * Columns of an interaction vary fastest in the first variable, as R does.
 */
import type { DenseMatrix } from '../core/matrix';
import { isMissing } from '../core/missing';
import { independentColumns } from './collinear';
import { compileNumeric, deparse, exprColumns, parseFormula, toNumber, type Expr } from './parse';
import { toModelSpec, type SpecInput } from './modelSpec';
import { columnValues, type BuildDesignOptions, type Design, type FactorInfo, type TableLike } from './designTypes';
import { compareLevels, firstPresent, levelKey } from './levels';

export { columnValues, type TableLike, type FactorInfo, type DesignDropped, type Design, type BuildDesignOptions } from './designTypes';

type VarPlan =
  | { kind: 'numeric'; label: string; cols: string[]; columns: string[]; eval: ((i: number) => number)[] }
  | { kind: 'factor'; label: string; info: FactorInfo; codes: Int32Array; columns: string[] };

/**
 * Builds the design matrix of a model spec on a table, as R's model.frame + model.matrix.
 * Inputs: a TableLike (arquero), a formula string or ModelSpec, BuildDesignOptions. Output:
 * Design: x (n × p row-major, R's column names and order), y (when the response is numeric),
 * rowIndex (input row of each design row), dropped (rows dropped for missing values, by
 * column; R's na.omit), aliased columns (dropped, as lm reports NA coefficients), factor levels
 * (unused levels dropped, as lm/glm do) and `extra` columns. Errors name the column and row:
 * unknown columns, non-numeric values in numeric terms, a reference level that is absent.
 * Source: R's model.frame / model.matrix (treatment contrasts) and the dqrdc2 rank rule (1e-7).
 */
export function buildDesign(table: TableLike, specInput: SpecInput, options: BuildDesignOptions = {}): Design {
  const spec = toModelSpec(specInput);
  const f = parseFormula(spec.formula);
  const nInput = table.numRows();
  const available = table.columnNames();
  const overrides = options.overrides ?? {};
  const colCache = new Map<string, ArrayLike<unknown>>();
  const getColumn = (name: string, where: string): ArrayLike<unknown> => {
    if (Object.prototype.hasOwnProperty.call(overrides, name)) {
      let c = colCache.get(`override:${name}`);
      if (!c) {
        const ov = overrides[name];
        if (typeof ov === 'function') {
          if (!available.includes(name)) throw new Error(`unknown column '${name}' in overrides; the table has columns: ${available.join(', ')}`);
          const src = columnValues(table, name);
          const fn = ov as (v: unknown, row: number) => unknown;
          const arr = new Array<unknown>(nInput);
          for (let i = 0; i < nInput; i++) arr[i] = fn(src[i], i);
          c = arr;
        } else c = new Array<unknown>(nInput).fill(ov);
        colCache.set(`override:${name}`, c);
      }
      return c;
    }
    let c = colCache.get(name);
    if (!c) {
      if (!available.includes(name)) {
        throw new Error(`unknown column '${name}' in ${where} (formula '${spec.formula}'); the table has columns: ${available.join(', ')}`);
      }
      c = columnValues(table, name);
      colCache.set(name, c);
    }
    return c;
  };
  const factorSet = new Set<string>([...(spec.factors ?? []), ...Object.keys(spec.levels ?? {}), ...Object.keys(spec.reference ?? {})]);

  // ---- resolve variables -------------------------------------------------------------
  const sourceColumns: string[] = [];
  const noteColumn = (c: string) => { if (!sourceColumns.includes(c)) sourceColumns.push(c); };
  const plans: VarPlan[] = [];
  const pendingFactors: { idx: number; label: string; column: string; values: ArrayLike<unknown> }[] = [];
  for (const v of f.variables) {
    const e = v.expr;
    const cols = exprColumns(e);
    cols.forEach((c) => { getColumn(c, `term '${v.label}'`); noteColumn(c); });
    if (e.k === 'var' || (e.k === 'call' && (e.fn === 'factor' || e.fn === 'as.factor'))) {
      const column = e.k === 'var' ? e.name : (() => {
        if (e.args.length !== 1 || e.args[0].k !== 'var') throw new Error(`formula '${spec.formula}': ${v.label} must be factor(<column>)`);
        return (e.args[0] as { name: string }).name;
      })();
      const values = getColumn(column, `term '${v.label}'`);
      const first = firstPresent(values);
      const isFactor = e.k === 'call' || factorSet.has(column) || factorSet.has(v.label)
        || typeof first === 'string' || typeof first === 'boolean';
      if (isFactor) {
        pendingFactors.push({ idx: plans.length, label: v.label, column, values });
        plans.push(null as unknown as VarPlan);
        continue;
      }
      if (first !== undefined && typeof first !== 'number' && !(first instanceof Date)) {
        throw new Error(`column '${column}' has values of type ${typeof first}; expected numbers (or declare it a factor)`);
      }
    }
    if (e.k === 'call' && e.fn === 'poly') {
      const raw = e.named.find(([n]) => n === 'raw');
      if (!raw || raw[1].k !== 'var' || (raw[1].name !== 'TRUE' && raw[1].name !== 'T')) {
        throw new Error(`formula '${spec.formula}': only raw polynomials are supported; write poly(x, d, raw = TRUE) or I(x^2)`);
      }
      const degE = e.args[1] ?? e.named.find(([n]) => n === 'degree')?.[1];
      if (!degE || degE.k !== 'num' || !Number.isInteger(degE.v) || degE.v < 1) {
        throw new Error(`formula '${spec.formula}': poly() needs an integer degree ≥ 1`);
      }
      const base = compileNumeric(e.args[0], (n) => getColumn(n, `term '${v.label}'`), `term '${v.label}'`);
      const evals: ((i: number) => number)[] = [];
      const names: string[] = [];
      for (let d = 1; d <= degE.v; d++) { const dd = d; evals.push((i) => Math.pow(base(i), dd)); names.push(`${v.label}${d}`); }
      plans.push({ kind: 'numeric', label: v.label, cols: names, columns: cols, eval: evals });
      continue;
    }
    for (const c of cols) {
      const first = firstPresent(getColumn(c, `term '${v.label}'`));
      if (first !== undefined && typeof first === 'string') {
        throw new Error(`term '${v.label}': column '${c}' holds text (e.g. '${first}') and cannot be used in arithmetic`);
      }
    }
    const fn = compileNumeric(e, (n) => getColumn(n, `term '${v.label}'`), `term '${v.label}'`);
    plans.push({ kind: 'numeric', label: v.label, cols: [v.label], columns: cols, eval: [fn] });
  }

  // Response.
  const wantResponse = options.response !== false && f.lhs !== null;
  let responseEval: ((i: number) => number) | null = null;
  f.responseColumns.forEach((c) => { getColumn(c, 'the response'); noteColumn(c); });
  const lhsIsSimple = f.lhs !== null && !(f.lhs.k === 'call' && !['log', 'log1p', 'exp', 'sqrt', 'I', 'log2', 'log10', 'abs'].includes(f.lhs.fn));
  if (wantResponse && lhsIsSimple) {
    for (const c of f.responseColumns) {
      const first = firstPresent(getColumn(c, 'the response'));
      if (typeof first === 'string') throw new Error(`response column '${c}' holds text (e.g. '${first}'); recode it as 0/1 or numeric`);
    }
    responseEval = compileNumeric(f.lhs as Expr, (n) => getColumn(n, 'the response'), 'the response');
  }
  for (const s of f.specials) s.columns.forEach((c) => { getColumn(c, `term '${s.label}'`); noteColumn(c); });
  for (const c of options.extraColumns ?? []) { getColumn(c, 'options'); noteColumn(c); }

  // ---- rows kept ----------------------------------------------------------------------
  let rowIndex: Int32Array;
  const missing: Record<string, number> = {};
  const nonFinite: Record<string, number> = {};
  if (options.rows) {
    rowIndex = options.rows;
  } else {
    const keep = new Uint8Array(nInput).fill(1);
    for (const c of sourceColumns) {
      const arr = getColumn(c, 'data');
      let count = 0;
      for (let i = 0; i < nInput; i++) if (isMissing(arr[i])) { count++; keep[i] = 0; }
      if (count > 0) missing[c] = count;
    }
    // Transforms that give non-finite values on otherwise complete rows.
    const checkFinite = (label: string, fn: (i: number) => number) => {
      let count = 0;
      for (let i = 0; i < nInput; i++) if (keep[i] && !Number.isFinite(fn(i))) { count++; keep[i] = 0; }
      if (count > 0) nonFinite[label] = count;
    };
    for (const p of plans) if (p && p.kind === 'numeric') p.eval.forEach((fn, j) => checkFinite(p.cols[j], fn));
    if (responseEval) checkFinite(f.response ?? 'response', responseEval);
    let n = 0;
    for (let i = 0; i < nInput; i++) n += keep[i];
    rowIndex = new Int32Array(n);
    for (let i = 0, k = 0; i < nInput; i++) if (keep[i]) rowIndex[k++] = i;
  }
  const n = rowIndex.length;

  // ---- factor levels --------------------------------------------------------------------
  const factors: Record<string, FactorInfo> = {};
  const unusedLevels: Record<string, readonly string[]> = {};
  for (const pf of pendingFactors) {
    // One pass over the rows: each row's index among the column's distinct raw values (a Map keyed
    // by the value itself, so numbers need no String() per row). Levels, the listed-level check,
    // unused levels and the codes then work on the few distinct values.
    const distinct = new Map<unknown, number>();
    const rawValues: unknown[] = [];
    const rawIdx = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const v = pf.values[rowIndex[k]];
      let c = distinct.get(v);
      if (c === undefined) { c = rawValues.length; distinct.set(v, c); rawValues.push(v); }
      rawIdx[k] = c;
    }
    const rawKeys = rawValues.map(levelKey);
    // The first row (in row order) whose value fails `bad`, for error messages.
    const firstRow = (bad: (c: number) => boolean): number => { for (let k = 0; k < n; k++) if (bad(rawIdx[k])) return rowIndex[k]; return -1; };
    const prior = options.factorsFrom?.[pf.label];
    let info: FactorInfo;
    if (prior) info = prior;
    else {
      const listed = spec.levels?.[pf.label] ?? spec.levels?.[pf.column];
      let levels: string[];
      if (listed) {
        levels = listed.map(String);
        const set = new Set(levels);
        if (rawKeys.some((key) => !set.has(key))) {
          const i = firstRow((c) => !set.has(rawKeys[c]));
          throw new Error(`column '${pf.column}', row ${i + 1}: value '${levelKey(pf.values[i])}' is not one of the listed levels (${levels.join(', ')})`);
        }
      } else {
        const seen = new Map<string, unknown>();
        rawValues.forEach((v, c) => { if (!seen.has(rawKeys[c])) seen.set(rawKeys[c], v); });
        levels = Array.from(seen.values()).sort(compareLevels).map(levelKey);
      }
      const ref = spec.reference?.[pf.label] ?? spec.reference?.[pf.column];
      if (ref !== undefined && ref !== null) {
        const r = String(ref);
        if (!levels.includes(r)) {
          throw new Error(`reference level '${r}' for '${pf.label}' does not exist; levels are: ${levels.join(', ')}`);
        }
        levels = [r, ...levels.filter((l) => l !== r)];
      }
      if (options.dropUnusedLevels) {
        const used = new Set<string>(rawKeys);
        const unused = levels.filter((l) => !used.has(l));
        if (unused.length) {
          unusedLevels[pf.label] = Object.freeze(unused);
          levels = levels.filter((l) => used.has(l));
        }
      }
      info = Object.freeze({ column: pf.column, levels: Object.freeze(levels), reference: levels[0] });
    }
    factors[pf.label] = info;
    const codeOf = new Map(info.levels.map((l, i) => [l, i] as const));
    const codeByRaw = rawKeys.map((key) => codeOf.get(key) ?? -1);
    if (codeByRaw.some((c) => c < 0)) {
      const i = firstRow((c) => codeByRaw[c] < 0);
      throw new Error(`column '${pf.column}', row ${i + 1}: value '${levelKey(pf.values[i])}' is not a level of ${pf.label} (${info.levels.join(', ')})`);
    }
    const codes = new Int32Array(n);
    for (let k = 0; k < n; k++) codes[k] = codeByRaw[rawIdx[k]];
    plans[pf.idx] = { kind: 'factor', label: pf.label, info, codes, columns: [pf.column] };
  }

  // ---- columns ----------------------------------------------------------------------------
  const intercept = options.intercept ?? f.intercept;
  const termKeys = new Set(f.terms.map((t) => t.join(',')));
  type Comp = { kind: 'num'; values: Float64Array } | { kind: 'lvl'; codes: Int32Array; level: number };
  const colNames: string[] = [];
  const colComps: Comp[][] = [];
  const colAssign: number[] = [];
  if (intercept && !options.dropInterceptColumn) { colNames.push('(Intercept)'); colComps.push([]); colAssign.push(0); }
  const numCache = new Map<string, Float64Array>();
  const numValues = (p: VarPlan & { kind: 'numeric' }, j: number): Float64Array => {
    const key = p.cols[j];
    let a = numCache.get(key);
    if (!a) {
      a = new Float64Array(n);
      const fn = p.eval[j];
      for (let k = 0; k < n; k++) a[k] = fn(rowIndex[k]);
      numCache.set(key, a);
    }
    return a;
  };
  /** Level codes of a factor by design row (computed with its levels). */
  const codeValues = (p: VarPlan & { kind: 'factor' }): Int32Array => p.codes;
  f.terms.forEach((term, ti) => {
    // Per variable: list of (name suffix, component) options.
    let combos: { name: string; comps: Comp[] }[] = [{ name: '', comps: [] }];
    for (const vi of term) {
      const p = plans[vi];
      const opts: { name: string; comp: Comp }[] = [];
      if (p.kind === 'numeric') {
        p.cols.forEach((c, j) => opts.push({ name: c, comp: { kind: 'num', values: numValues(p, j) } }));
      } else {
        const rest = term.filter((w) => w !== vi);
        const contrasts = rest.length === 0 ? intercept : termKeys.has(rest.join(','));
        const codes = codeValues(p);
        for (let l = contrasts ? 1 : 0; l < p.info.levels.length; l++) {
          opts.push({ name: `${p.label}${p.info.levels[l]}`, comp: { kind: 'lvl', codes, level: l } });
        }
      }
      // First variable varies fastest: iterate new options outermost.
      const next: { name: string; comps: Comp[] }[] = [];
      for (const o of opts) for (const c of combos) next.push({ name: c.name ? `${c.name}:${o.name}` : o.name, comps: c.comps.concat([o.comp]) });
      combos = next;
    }
    for (const c of combos) { colNames.push(c.name); colComps.push(c.comps); colAssign.push(ti + 1); }
  });

  const pAll = colNames.length;
  const full = new Float64Array(n * pAll);
  // Filled in row blocks so that column-wise writes stay in cache (row-major output).
  const BLOCK = 512;
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const k1 = Math.min(n, k0 + BLOCK);
    for (let j = 0; j < pAll; j++) {
      const comps = colComps[j];
      // Common shapes get monomorphic loops (intercept, plain numeric, single dummy).
      if (comps.length === 0) { for (let k = k0; k < k1; k++) full[k * pAll + j] = 1; continue; }
      if (comps.length === 1) {
        const cp = comps[0];
        if (cp.kind === 'num') { const v = cp.values; for (let k = k0; k < k1; k++) full[k * pAll + j] = v[k]; }
        else { const c = cp.codes; const l = cp.level; for (let k = k0; k < k1; k++) full[k * pAll + j] = c[k] === l ? 1 : 0; }
        continue;
      }
      for (let k = k0; k < k1; k++) {
        let v = 1;
        for (let c = 0; c < comps.length; c++) {
          const cp = comps[c];
          v *= cp.kind === 'num' ? cp.values[k] : (cp.codes[k] === cp.level ? 1 : 0);
        }
        full[k * pAll + j] = v;
      }
    }
  }

  let y: Float64Array | undefined;
  if (responseEval) {
    y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = responseEval(rowIndex[k]);
  }

  // ---- collinearity -------------------------------------------------------------------
  let keptCols: number[] = Array.from({ length: pAll }, (_, j) => j);
  if (options.checkCollinear !== false && n > 0) {
    keptCols = independentColumns({ nrow: n, ncol: pAll, data: full });
  }
  const collinear = colNames.filter((_, j) => !keptCols.includes(j));
  let x: DenseMatrix;
  if (keptCols.length === pAll) x = { nrow: n, ncol: pAll, data: full };
  else {
    const p = keptCols.length;
    const data = new Float64Array(n * p);
    for (let k = 0; k < n; k++) for (let j = 0; j < p; j++) data[k * p + j] = full[k * pAll + keptCols[j]];
    x = { nrow: n, ncol: p, data };
  }

  const extra: Record<string, unknown[]> = {};
  const extraNames = Array.from(new Set([...(options.extraColumns ?? []), ...f.specials.flatMap((sp) => sp.columns)]));
  for (const c of extraNames) {
    const arr = getColumn(c, 'options');
    const out = new Array<unknown>(n);
    for (let k = 0; k < n; k++) out[k] = arr[rowIndex[k]];
    extra[c] = out;
  }

  let totalDropped = nInput - n;
  if (options.rows) totalDropped = 0;
  return Object.freeze({
    spec,
    formula: f,
    x,
    names: Object.freeze(keptCols.map((j) => colNames[j])),
    allNames: Object.freeze(colNames),
    assign: Object.freeze(keptCols.map((j) => colAssign[j])),
    terms: f.termLabels,
    y,
    response: f.response,
    rowIndex,
    nInput,
    n,
    dropped: Object.freeze({ total: totalDropped, missing: Object.freeze(missing), nonFinite: Object.freeze(nonFinite) }),
    collinear: Object.freeze(collinear),
    factors: Object.freeze(factors),
    extra: Object.freeze(extra),
    specials: f.specials,
    intercept,
    unusedLevels: Object.freeze(unusedLevels),
  });
}
