/**
 * Table level: glm(table, formula, options) and glmm(table, formula, options) for counts, with
 * `offset(log(population))` in the formula as in R (several offset() terms add up).
 */
import { buildDesign, columnValues, toModelSpec, type Design, type SpecInput, type TableLike } from '../../formula/index';
import { compileNumeric } from '../../formula/parse';
import { splitRandomIntercepts } from '../table';
import type { CountFamily } from './family';
import { fitGlm, type GlmFit, type GlmVcovType } from './glm';
import { fitGlmm, type GlmmFit } from './glmm';
import { fitGlmmSlopes, type GlmmSlopesFit } from './glmmSlopes';
import { splitRandomSlopes } from '../lmmSlopes';

interface CommonOptions {
  /** A column used as an extra offset (R's `offset =` argument), added to offset() terms. */
  readonly offset?: string;
  readonly level?: number;
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  readonly reference?: Readonly<Record<string, string>>;
  readonly factors?: readonly string[];
}

export interface GlmTableOptions extends CommonOptions {
  readonly family?: CountFamily;
  readonly vcov?: GlmVcovType;
  /** Column of cluster ids for vcov 'cluster'. */
  readonly cluster?: string;
  readonly clusterType?: 'HC0' | 'HC1';
  /** Column of prior weights. */
  readonly weights?: string;
}

export interface GlmmTableOptions extends CommonOptions {
  readonly family?: 'poisson';
  /** 1 = Laplace (default), > 1 = adaptive Gauss–Hermite with that many nodes. */
  readonly nAGQ?: number;
}

/** What the table wrapper adds: rows in, rows used, rows dropped by reason. */
export interface TableInfo {
  readonly nInput: number;
  readonly dropped: Design['dropped'];
  readonly formula: string;
}

function merged(spec: SpecInput, o: CommonOptions) {
  const s = toModelSpec(spec);
  return Object.freeze({
    ...s,
    levels: o.levels ? { ...(s.levels ?? {}), ...o.levels } : s.levels,
    reference: o.reference ? { ...(s.reference ?? {}), ...o.reference } : s.reference,
    factors: o.factors ? Array.from(new Set([...(s.factors ?? []), ...o.factors])) : s.factors,
  });
}

/** offset() is the only special a count model reads; any other (strata(), cluster(), frailty(), (1 | g)) is an error naming the model and term. */
function onlyOffsets(d: Design, who: string): void {
  for (const sp of d.specials) {
    if (sp.kind !== 'offset') throw new Error(`${who}: the formula term '${sp.label}' is not supported by ${who}${sp.kind === 'cluster' ? ' (give options.cluster instead)' : ''}`);
  }
}

/** Σ offset() terms (+ the `offset` column) at the design's kept rows; null when there is none. */
function offsetOf(d: Design, table: TableLike, extraColumn?: string): Float64Array | null {
  const terms = d.specials.filter((s) => s.kind === 'offset');
  if (!terms.length && !extraColumn) return null;
  const out = new Float64Array(d.n);
  const get = (name: string) => columnValues(table, name);
  for (const t of terms) {
    const e = t.expr;
    if (e.k !== 'call' || e.args.length !== 1) throw new Error(`${t.label}: offset() takes one argument`);
    const f = compileNumeric(e.args[0], get, t.label);
    for (let i = 0; i < d.n; i++) {
      const v = f(d.rowIndex[i]);
      if (!Number.isFinite(v)) throw new Error(`${t.label}: not finite at table row ${d.rowIndex[i] + 1} (${v}); a population of 0 has no rate`);
      out[i] += v;
    }
  }
  if (extraColumn) {
    const col = d.extra[extraColumn];
    for (let i = 0; i < d.n; i++) out[i] += Number(col[i]);
  }
  return out;
}

/** Count GLM on a table: `glm(t, 'cla ~ decile + year + offset(log(population))', { family: 'negbin' })`. */
export function glm(table: TableLike, spec: SpecInput, options: GlmTableOptions = {}): GlmFit & TableInfo {
  const s = merged(spec, options);
  const extra = [options.cluster, options.weights, options.offset].filter((c): c is string => !!c);
  const d = buildDesign(table, s, { extraColumns: extra });
  if (!d.y) throw new Error(`glm: formula '${s.formula}' has no numeric response`);
  onlyOffsets(d, 'glm');
  const fit = fitGlm({
    y: d.y, x: d.x, names: d.names, family: options.family ?? 'poisson', offset: offsetOf(d, table, options.offset) ?? undefined,
    weights: options.weights ? (d.extra[options.weights] as number[]) : undefined, vcov: options.vcov,
    cluster: options.cluster ? d.extra[options.cluster] : undefined, clusterType: options.clusterType, level: options.level, spec: s,
  });
  return Object.freeze({ ...fit, nInput: d.nInput, dropped: d.dropped, formula: s.formula });
}

/** Poisson GLMM with one random intercept: `glmm(t, 'cin ~ decile + offset(log(population)) + (1 | la)', { nAGQ: 1 })`. */
export function glmm(table: TableLike, spec: SpecInput, options: GlmmTableOptions = {}): GlmmFit & TableInfo {
  const s0 = merged(spec, options);
  if (splitRandomSlopes(s0.formula)) throw new Error(`glmm: formula '${s0.formula}' has a random slope; use glmmSlopes(table, formula, options)`);
  const { fixed, groups } = splitRandomIntercepts(s0.formula);
  if (groups.length !== 1) throw new Error(`glmm: formula '${s0.formula}' needs exactly one random intercept (1 | g)`);
  const s = Object.freeze({ ...s0, formula: fixed });
  const extra = [groups[0], options.offset].filter((c): c is string => !!c);
  const d = buildDesign(table, s, { extraColumns: extra });
  if (!d.y) throw new Error(`glmm: formula '${s0.formula}' has no numeric response`);
  onlyOffsets(d, 'glmm');
  const fit = fitGlmm({
    y: d.y, x: d.x, names: d.names, groups: d.extra[groups[0]], family: options.family ?? 'poisson',
    offset: offsetOf(d, table, options.offset) ?? undefined, nAGQ: options.nAGQ, level: options.level, spec: s0,
  });
  return Object.freeze({ ...fit, nInput: d.nInput, dropped: d.dropped, formula: s0.formula });
}

export interface GlmmSlopesTableOptions extends CommonOptions {
  /** lme4's PIRLS tolerance in the devfun behind its Hessian SEs (glmerControl tolPwrss). */
  readonly tolPwrss?: number;
  readonly vcov?: 'hessian' | 'rx';
}

/**
 * Poisson GLMM with a correlated random intercept and slope(s), Laplace:
 * `glmmSlopes(t, 'cin ~ deprivation + year + offset(log(population)) + (1 + deprivation | la)')`,
 * as lme4::glmer(..., family = poisson, nAGQ = 1). Slope columns must be numeric.
 */
export function glmmSlopes(table: TableLike, spec: SpecInput, options: GlmmSlopesTableOptions = {}): GlmmSlopesFit & TableInfo {
  const s0 = merged(spec, options);
  const rs = splitRandomSlopes(s0.formula);
  if (!rs) throw new Error(`glmmSlopes: formula '${s0.formula}' has no random-slope term (1 + z | g)`);
  const { fixed, groups } = splitRandomIntercepts(rs.formula);
  if (groups.length) throw new Error(`glmmSlopes: formula '${s0.formula}': one random term (1 + z | g) is supported`);
  const s = Object.freeze({ ...s0, formula: fixed });
  const extra = [rs.group, ...rs.slopes, options.offset].filter((c): c is string => !!c);
  const d = buildDesign(table, s, { extraColumns: extra });
  if (!d.y) throw new Error(`glmmSlopes: formula '${s0.formula}' has no numeric response`);
  const z = Array.from({ length: d.n }, (_, i) => rs.slopes.map((c) => {
    const v = Number(d.extra[c][i]);
    if (!Number.isFinite(v)) throw new Error(`glmmSlopes: random-slope column '${c}' is not numeric at table row ${d.rowIndex[i] + 1}`);
    return v;
  }));
  const fit = fitGlmmSlopes({
    y: d.y, x: d.x, names: d.names, z, zNames: rs.slopes, groups: d.extra[rs.group],
    offset: offsetOf(d, table, options.offset) ?? undefined, tolPwrss: options.tolPwrss, vcov: options.vcov, level: options.level, spec: s0,
  });
  return Object.freeze({ ...fit, nInput: d.nInput, dropped: d.dropped, formula: s0.formula });
}
