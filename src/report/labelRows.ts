/**
 * Dictionary labels for the rows of results that are not coefficient tables: predictive margins and
 * their contrasts (Stata's `margins`, marginaleffects' `avg_comparisons`), variance components
 * (lme4's `VarCorr`) and groups keyed by a factor's codes (KM curves by pathway). What a reader sees
 * is "CSC exposure: Child in need vs No CSC contact" and "Local authority", not the column and level
 * codes "csc_exposure: CIN - none" and "la".
 */
import { plainTable, type ProtectedTable } from '../display/sdc';
import { levelLabel, variableLabel, type DataDictionary } from './dictionary';

/** What each kind of margins row estimates, in words. */
const MARGIN_TYPES: Readonly<Record<string, string>> = {
  margin: 'Predictive margin',
  contrast: 'Gap',
  contrast_diff: 'Difference in gaps',
  dydx: 'Average marginal effect',
};

/** A margins contrast "<level> - <reference>[ | k=v, …]" as "<level label> vs <reference label>[ (k label: v label)]". */
function contrastLabel(variable: string, contrast: string, dict: DataDictionary): string {
  const [diff, at] = contrast.split(' | ');
  const m = /^(.*) - (.*)$/.exec(diff);
  const shown = m ? `${levelLabel(variable, m[1], dict)} vs ${levelLabel(variable, m[2], dict)}` : diff;
  if (!at) return shown;
  const held = at.split(', ').map((kv) => {
    const [k, v] = kv.split('=');
    return `${variableLabel(k, dict)}: ${levelLabel(k, v ?? '', dict)}`;
  });
  return `${shown} (${held.join('; ')})`;
}

/**
 * Rows of `margins()` (regression/margins) with dictionary labels: `term` of a contrast reads
 * "CSC exposure: Child in need vs No CSC contact", of a margin "CSC exposure: Child in need", of an
 * average marginal effect the variable's label; each `at.<column>` value becomes its level label (so
 * figures drawn from these rows show labels on their axes); `type` reads in words ("Predictive
 * margin", "Gap", "Difference in gaps"); with `by` (the column the margins were split by), subgroup codes become level
 * labels too ("1 - 0" → "Yes − No"). Values with no dictionary entry are kept as they are. The input
 * is not changed; numbers are untouched.
 */
export function labelMargins<R extends Record<string, unknown>>(rows: readonly R[], dict: DataDictionary, o: { by?: string } = {}): R[] {
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...r };
    const atCols = Object.keys(r).filter((k) => k.startsWith('at.'));
    for (const k of atCols) if (r[k] !== null && r[k] !== undefined) out[k] = levelLabel(k.slice(3), String(r[k]), dict);
    const term = String(r.term ?? '');
    const type = String(r.type ?? '');
    const colon = term.indexOf(': ');
    if ((type === 'contrast' || type === 'contrast_diff') && colon > 0) {
      const variable = term.slice(0, colon);
      const contrast = contrastLabel(variable, String(r.contrast ?? term.slice(colon + 2)), dict);
      out.term = `${variableLabel(variable, dict)}: ${contrast}`;
      if (typeof r.contrast === 'string') out.contrast = contrast;
    } else if (type === 'margin' && atCols.length > 0) {
      out.term = atCols.map((k) => `${variableLabel(k.slice(3), dict)}: ${out[k]}`).join(', ');
    } else if (type === 'dydx') {
      out.term = variableLabel(term, dict);
    }
    if (type in MARGIN_TYPES) out.type = MARGIN_TYPES[type];
    if (o.by && typeof r.by === 'string') {
      const diff = /^(.*) - (.*)$/.exec(r.by);
      out.by = diff ? `${levelLabel(o.by, diff[1], dict)} \u2212 ${levelLabel(o.by, diff[2], dict)}` : levelLabel(o.by, r.by, dict);
    }
    return out as R;
  });
}

/** The parts of a mixed model that varianceComponentsTable reads (regression/lmm's LmmFit). */
export interface VarianceComponentsFit {
  readonly varianceComponents: readonly { readonly group: string; readonly variance: number; readonly sd: number }[];
}

/**
 * lme4's `VarCorr` as a table for readers: one row per grouping factor, under its dictionary label
 * ("Local authority", not "la"), then the residual; columns group, variance, sd.
 */
export function varianceComponentsTable(fit: VarianceComponentsFit, dict: DataDictionary = {}): ProtectedTable {
  return plainTable(fit.varianceComponents.map((v) => ({ group: v.group === 'Residual' ? 'Residual' : variableLabel(v.group, dict), variance: v.variance, sd: v.sd })));
}

/**
 * A record keyed by a factor's codes (KM curves by group, per-group results) re-keyed by the
 * codes' labels, in the dictionary's order of levels (then the rest in their order): for figure
 * legends and table rows that must read "Child protection plan", not "CPP".
 */
export function labelGroups<V>(byGroup: Readonly<Record<string, V>>, variable: string, dict: DataDictionary): Record<string, V> {
  const order = Object.keys(dict[variable]?.levels ?? {});
  const keys = Object.keys(byGroup).sort((a, b) => rank(order, a) - rank(order, b));
  const out: Record<string, V> = {};
  for (const k of keys) out[levelLabel(variable, k, dict)] = byGroup[k];
  return out;
}

function rank(order: readonly string[], k: string): number {
  const i = order.indexOf(k);
  return i < 0 ? order.length : i;
}
