/**
 * ModelSpec: a model as plain JSON data (formula string + factor level orders + reference
 * levels + free-form options). Notebooks derive variants with the pure helpers below; every
 * helper returns a new frozen object and never mutates its input.
 */
import { splitAbsorb } from './absorb';
import { deparse, parseFormula } from './parse';

export interface ModelSpec {
  /** R-style formula, e.g. `att8 ~ csc_group * fsm + sex + log(idaci + 1)`. */
  readonly formula: string;
  /** Level order per factor column; the first level is the reference unless `reference` says otherwise. */
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  /** Reference (omitted) level per factor column, treatment coding. */
  readonly reference?: Readonly<Record<string, string>>;
  /** Numeric columns to treat as factors (e.g. an integer `idaci_decile`). */
  readonly factors?: readonly string[];
  /** Optional label for tables (e.g. a stage name). */
  readonly label?: string;
  /** Free-form options that travel with the spec (vcov type, cluster column, ...). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** The minimal non-formula form (used e.g. by survival): covariates + factor references. */
export interface CovariateSpec {
  readonly response?: string;
  readonly covariates: readonly string[];
  /** Factor columns → reference level (null: first level in sorted/listed order). */
  readonly factors?: Readonly<Record<string, string | null>>;
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  readonly intercept?: boolean;
}

export type SpecInput = string | ModelSpec | CovariateSpec;

function quoteName(n: string): string {
  return /^[A-Za-z.][A-Za-z0-9_.]*$/.test(n) ? n : `\`${n}\``;
}

/** Factors as every model takes them: a list of columns, or a map column → reference level (null: first level). */
export type FactorsInput = readonly string[] | Readonly<Record<string, string | null>>;

/**
 * The one reading of `factors` for every model: ['sex', 'la'] or { sex: 'F', la: null } (reference
 * levels), merged with an explicit `reference` map. Failure: a clear error naming `who` for any
 * other type (e.g. a string, or a list holding non-strings).
 */
export function normaliseFactors(factors: unknown, reference: Readonly<Record<string, string>> | undefined, who: string): { factors: string[]; reference: Record<string, string> } {
  const ref: Record<string, string> = { ...(reference ?? {}) };
  if (factors === undefined || factors === null) return { factors: [], reference: ref };
  if (Array.isArray(factors)) {
    if (!factors.every((f) => typeof f === 'string')) throw new Error(`${who}: factors must be a list of column names, e.g. ['sex', 'la'] (got ${JSON.stringify(factors)})`);
    return { factors: factors.slice(), reference: ref };
  }
  if (typeof factors === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(factors as Record<string, unknown>)) {
      if (v !== null && v !== undefined && typeof v !== 'string') throw new Error(`${who}: factors.${k} must be a reference level (string) or null (got ${JSON.stringify(v)})`);
      out.push(k);
      if (typeof v === 'string' && ref[k] === undefined) ref[k] = v;
    }
    return { factors: out, reference: ref };
  }
  throw new Error(`${who}: factors must be a list of column names (['sex']) or a map column → reference level ({ sex: 'F' }); got ${typeof factors} ${JSON.stringify(factors)}`);
}

/** Normalises a formula string, a ModelSpec or a CovariateSpec to a frozen ModelSpec. */
export function toModelSpec(input: SpecInput): ModelSpec {
  if (typeof input === 'string') return Object.freeze({ formula: input });
  if (input && typeof (input as ModelSpec).formula === 'string') {
    parseFormula(splitAbsorb((input as ModelSpec).formula).formula); // validate early
    const m = input as ModelSpec;
    if (m.factors === undefined) return Object.freeze({ ...m });
    const f = normaliseFactors(m.factors, m.reference, 'model spec');
    return Object.freeze({ ...m, factors: f.factors, reference: f.reference });
  }
  const c = input as CovariateSpec;
  if (!c || !Array.isArray(c.covariates)) {
    throw new Error('model spec must be a formula string, { formula, ... } or { covariates: [...], factors: {...} }');
  }
  const rhs = c.covariates.length ? c.covariates.map(quoteName).join(' + ') : '1';
  const formula = `${c.response ? c.response : ''} ~ ${rhs}${c.intercept === false ? ' - 1' : ''}`.trim();
  const { factors, reference } = normaliseFactors(c.factors, undefined, 'model spec');
  return Object.freeze({ formula, levels: c.levels, reference, factors });
}

/** A frozen ModelSpec from a formula and options; the formula is parsed now so a bad one fails here (parseFormula's errors). */
export function makeSpec(formula: string, extra: Omit<ModelSpec, 'formula'> = {}): ModelSpec {
  parseFormula(formula);
  return Object.freeze({ ...extra, formula });
}

function splitFormula(f: string): { lhs: string; rhs: string } {
  const p = parseFormula(f);
  const idx = f.indexOf('~');
  return { lhs: p.lhs ? deparse(p.lhs) : '', rhs: f.slice(idx + 1).trim() };
}

/** Adds terms (e.g. `['sex', 'ethnicity', 'csc_group:fsm']`) to the right-hand side. */
export function addTerms(spec: SpecInput, terms: readonly string[], label?: string): ModelSpec {
  const s = toModelSpec(spec);
  const { lhs, rhs } = splitFormula(s.formula);
  const formula = `${lhs} ~ ${[rhs, ...terms].join(' + ')}`.trim();
  parseFormula(formula);
  return Object.freeze({ ...s, formula, label: label ?? s.label });
}

/** Removes terms by label (R's `update(f, . ~ . - term)`). */
export function removeTerms(spec: SpecInput, terms: readonly string[], label?: string): ModelSpec {
  const s = toModelSpec(spec);
  const { lhs, rhs } = splitFormula(s.formula);
  const formula = `${lhs} ~ ${rhs}${terms.map((t) => ` - ${t}`).join('')}`.trim();
  parseFormula(formula);
  return Object.freeze({ ...s, formula, label: label ?? s.label });
}

/** Replaces the response, keeping the right-hand side and factor settings. */
export function setResponse(spec: SpecInput, response: string): ModelSpec {
  const s = toModelSpec(spec);
  const { rhs } = splitFormula(s.formula);
  const formula = `${response} ~ ${rhs}`;
  parseFormula(formula);
  return Object.freeze({ ...s, formula });
}

/** A copy of the spec with `level` as the reference (omitted) level of factor `variable` (R's relevel). */
export function setReference(spec: SpecInput, variable: string, level: string): ModelSpec {
  const s = toModelSpec(spec);
  return Object.freeze({ ...s, reference: Object.freeze({ ...(s.reference ?? {}), [variable]: level }) });
}

/** A copy of the spec with the level order of factor `variable` fixed (R's factor(levels =)); the first is the reference unless setReference says otherwise. */
export function setLevels(spec: SpecInput, variable: string, levels: readonly string[]): ModelSpec {
  const s = toModelSpec(spec);
  return Object.freeze({ ...s, levels: Object.freeze({ ...(s.levels ?? {}), [variable]: levels.slice() }) });
}

/** A copy of the spec carrying a display label (model column headings in tables). */
export function setLabel(spec: SpecInput, label: string): ModelSpec {
  return Object.freeze({ ...toModelSpec(spec), label });
}

/** A copy of the spec with fitting options merged in (later keys win). */
export function setOptions(spec: SpecInput, options: Record<string, unknown>): ModelSpec {
  const s = toModelSpec(spec);
  return Object.freeze({ ...s, options: Object.freeze({ ...(s.options ?? {}), ...options }) });
}

/** Term labels of a spec in R's order (handy for notebooks and for `stages`). */
export function specTerms(spec: SpecInput): readonly string[] {
  return parseFormula(toModelSpec(spec).formula).termLabels;
}
