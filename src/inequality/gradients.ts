/**
 * Notebook-level summaries of social gradients on an area panel: rates per 10,000 by decile (and
 * year), their disclosure-protected form, inequality indices by year, gradients by demand class,
 * per-LA gradients for a caterpillar plot, and truth-coverage rows.
 */
import { protectTable, SDC_SUPPRESSED, type ProtectedTable, type SdcRules } from '../display/sdc';
import { fitGlm } from '../regression/count/glm';
import { pChisqUpper, qNorm } from '../core/distributions';
import { usableVariance, waldInference } from '../core/guard';
import { inequalityIndices } from './indices';
import { rateRatio, rateWithCi, type RateInput } from './rates';

/** Column access for arquero tables or anything with numRows/array. */
export interface PanelLike { numRows(): number; array(name: string): ArrayLike<unknown> }

type Row = Record<string, number | string | null>;

function col(t: PanelLike, name: string): ArrayLike<unknown> {
  const a = t.array(name);
  if (!a || a.length !== t.numRows()) throw new Error(`column '${name}' not found`);
  return a;
}

/** Σ outcome and Σ population by decile (and year): rows idaci_decile, [year], count, population, rate, conf.low, conf.high. */
export function decileRates(t: PanelLike, outcome: string, o: { byYear?: boolean; per?: number; countColumn?: string } = {}): Row[] {
  const d = col(t, 'idaci_decile'); const y = col(t, 'year'); const n = col(t, o.countColumn ?? outcome); const p = col(t, 'population');
  const acc = new Map<string, { dec: number; year: number; count: number; population: number }>();
  for (let i = 0; i < t.numRows(); i++) {
    const key = o.byYear ? `${d[i]}|${y[i]}` : `${d[i]}`;
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { dec: Number(d[i]), year: Number(y[i]), count: 0, population: 0 }));
    a.count += Number(n[i]); a.population += Number(p[i]);
  }
  return Array.from(acc.values()).sort((a, b) => a.dec - b.dec || a.year - b.year).map((a) => ({
    idaci_decile: a.dec, ...(o.byYear ? { year: a.year } : {}), ...rateWithCi({ count: a.count, population: a.population }, o.per ?? 10_000),
  }));
}

/**
 * Disclosure control for rate rows: counts and populations rounded/suppressed by protectTable;
 * a rate (and its CI) is suppressed when its numerator, its complement or its denominator is a
 * small count (protectRate's rule).
 */
export function protectRates(rows: readonly Row[], rules?: Partial<SdcRules>, per = 10_000): ProtectedTable {
  const t = protectTable(rows.map((r) => ({ ...r })), {
    countColumns: ['count', 'population'], margins: 'none', rules,
    rates: [{ column: 'rate', numerator: 'count', denominator: 'population', scale: per, digits: 1 }],
  });
  // The CI is rebuilt from the shown (rounded) count and population: an exact Poisson interval of
  // the unrounded count would give the exact count back.
  const out = t.rows.map((r) => {
    if (r.rate === SDC_SUPPRESSED) return { ...r, 'conf.low': SDC_SUPPRESSED, 'conf.high': SDC_SUPPRESSED };
    const shown = rateWithCi({ count: Number(r.count), population: Number(r.population) }, per);
    return { ...r, 'conf.low': Math.round(shown['conf.low'] * 10) / 10, 'conf.high': Math.round(shown['conf.high'] * 10) / 10 };
  });
  return Object.freeze({ ...t, rows: Object.freeze(out.map((r) => Object.freeze(r))), columnDigits: { ...t.columnDigits, 'conf.low': 1, 'conf.high': 1 } });
}

function indicesRows(groupsMostFirst: RateInput[], label: Row): Row[] {
  const leastFirst = groupsMostFirst.slice().reverse();
  const rr = rateRatio(groupsMostFirst[0], groupsMostFirst[groupsMostFirst.length - 1]);
  const ix = inequalityIndices(leastFirst);
  return [
    { ...label, measure: 'rate ratio D1/D10', estimate: rr.estimate, 'conf.low': rr['conf.low'], 'conf.high': rr['conf.high'] },
    { ...label, measure: 'SII (per 10,000)', estimate: ix.sii.estimate, 'conf.low': ix.sii['conf.low'], 'conf.high': ix.sii['conf.high'] },
    { ...label, measure: 'RII', estimate: ix.rii.estimate, 'conf.low': ix.rii['conf.low'], 'conf.high': ix.rii['conf.high'] },
  ];
}

/** Rate ratio (most/least deprived decile), SII and RII, pooled (year 'all') and per year. */
export function inequalityByYear(t: PanelLike, outcome: string): Row[] {
  const by = decileRates(t, outcome, { byYear: true });
  const years = Array.from(new Set(by.map((r) => Number(r.year)))).sort((a, b) => a - b);
  const pooled = decileRates(t, outcome);
  const g = (rows: Row[]) => rows.map((r) => ({ count: Number(r.count), population: Number(r.population) }));
  return [
    ...indicesRows(g(pooled), { outcome, year: 'all' }),
    ...years.flatMap((y) => indicesRows(g(by.filter((r) => r.year === y)), { outcome, year: String(y) })),
  ];
}

/** Rates per 10,000 by demand class and decile (pooled years) from class counts, with RR and RII per class. */
export function classGradients(classCounts: PanelLike, labels: readonly string[]): { rates: Row[]; indices: Row[] } {
  const d = col(classCounts, 'idaci_decile'); const k = col(classCounts, 'true_class'); const n = col(classCounts, 'referrals'); const p = col(classCounts, 'population');
  const K = labels.length;
  const cnt = Array.from({ length: K + 1 }, () => new Float64Array(10)); const pop = new Float64Array(10);
  const seenPop = new Set<string>();
  for (let i = 0; i < classCounts.numRows(); i++) {
    const dd = Number(d[i]) - 1; const kk = Number(k[i]);
    cnt[kk][dd] += Number(n[i]);
    const key = `${d[i]}|${(classCounts.array('year') as ArrayLike<unknown>)[i]}`;
    if (!seenPop.has(key)) { seenPop.add(key); pop[dd] += Number(p[i]); }
  }
  const rates: Row[] = []; const indices: Row[] = [];
  for (let kk = 1; kk <= K; kk++) {
    const groups = Array.from({ length: 10 }, (_, dd) => ({ count: cnt[kk][dd], population: pop[dd] }));
    groups.forEach((g, dd) => rates.push({ class: labels[kk - 1], idaci_decile: dd + 1, ...rateWithCi(g) }));
    const rows = indicesRows(groups, { class: labels[kk - 1] });
    indices.push({ class: labels[kk - 1], 'RR D1/D10': rows[0].estimate, 'RII': rows[2].estimate, 'RII.low': rows[2]['conf.low'], 'RII.high': rows[2]['conf.high'] });
  }
  return { rates, indices };
}

/**
 * Per-LA gradient: a Poisson GLM per LA of outcome ~ deprivation + factor(year) with
 * offset(log(population)), reported as the rate ratio per SD of deprivation with its 95% CI
 * (cluster-free model SEs; LAs whose fit is degenerate are dropped with a reason).
 */
export function laGradients(t: PanelLike, outcome: string): { rows: Row[]; dropped: Row[] } {
  const la = col(t, 'la'); const z = col(t, 'deprivation'); const y = col(t, 'year'); const n = col(t, outcome); const p = col(t, 'population');
  const byLa = new Map<string, number[]>();
  for (let i = 0; i < t.numRows(); i++) { const k = String(la[i]); let a = byLa.get(k); if (!a) byLa.set(k, (a = [])); a.push(i); }
  const years = Array.from(new Set(Array.from(y as ArrayLike<number>))).sort((a, b) => Number(a) - Number(b));
  const rows: Row[] = []; const dropped: Row[] = [];
  const crit = qNorm(0.975);
  for (const [k, idx] of byLa) {
    const x = idx.map((i) => [1, Number(z[i]), ...years.slice(1).map((yy) => (y[i] === yy ? 1 : 0))]);
    const fit = fitGlm({ y: idx.map((i) => Number(n[i])), x, names: ['(Intercept)', 'deprivation', ...years.slice(1).map(String)], family: 'poisson', offset: idx.map((i) => Math.log(Number(p[i]))) });
    const j = fit.names.indexOf('deprivation');
    const b = fit.coef[j]; const se = fit.se[j];
    if (j < 0 || !Number.isFinite(b) || !Number.isFinite(se)) { dropped.push({ la: k, reason: fit.warnings.join('; ') || 'deprivation not estimable' }); continue; }
    rows.push({ la: k, estimate: Math.exp(b), 'conf.low': Math.exp(b - crit * se), 'conf.high': Math.exp(b + crit * se) });
  }
  return { rows, dropped };
}

/** What laSlopes reads from a random-slope GLMM fit (GlmmSlopesFit). */
export interface RandomSlopeFitLike {
  readonly names: readonly string[]; readonly coef: ArrayLike<number>;
  readonly randomNames: readonly string[]; readonly groupLevels: readonly string[];
  readonly conditionalModes: ArrayLike<number>; readonly conditionalSd: ArrayLike<number>;
  readonly sdRandom: ArrayLike<number>; readonly logLik: number;
}

/**
 * Per-LA gradient from a Poisson GLMM with a random slope (glmmSlopes, `(1 + term | la)`): the
 * rate ratio per unit of `term` in each LA, exp(β̂ + b̂_g), with the interval
 * exp(β̂ + b̂_g ± z·SD(b_g | data)) — the conditional mode and conditional SD given β̂, as
 * lme4's dotplot(ranef(fit, condVar = TRUE)) shows them shifted by the fixed slope (β̂'s own
 * uncertainty is common to all LAs and not in the bars). Rows: la, estimate, conf.low, conf.high;
 * the limits are NaN where the conditional SD is 0 or undefined (a slope SD on its boundary 0).
 */
export function laSlopes(fit: RandomSlopeFitLike, term: string, level = 0.95): Row[] {
  const j = fit.names.indexOf(term); const a = fit.randomNames.indexOf(term);
  if (j < 0 || a < 0) throw new Error(`laSlopes: '${term}' is not both a fixed effect and a random slope of the fit`);
  const r = fit.randomNames.length; const crit = qNorm(1 - (1 - level) / 2); const b = fit.coef[j];
  return fit.groupLevels.map((la, g) => {
    const m = fit.conditionalModes[g * r + a]; const sd = fit.conditionalSd[g * r + a];
    // A slope SD at its boundary 0 (the fit's singular-fit warning) leaves b_g ≡ 0 with SD 0: no
    // interval (NaN, core/guard), not a zero-width bar at β̂.
    const w = waldInference(b + m, usableVariance(sd) ? sd * sd : 0, crit);
    return { la, estimate: Math.exp(b + m), 'conf.low': Math.exp(w.low), 'conf.high': Math.exp(w.high) };
  });
}

/**
 * Likelihood-ratio test of a random slope (r − 1 extra variance parameters with one random
 * slope: its variance and covariance) against the random-intercept model with the same fixed
 * effects, both Laplace. The null puts the variance on its boundary, so the p-value is the
 * 50:50 mixture of χ²(1) and χ²(2) (Stram & Lee 1994, Biometrics 50:1171).
 */
export function randomSlopeLrt(interceptOnly: { logLik: number }, withSlope: RandomSlopeFitLike): Row {
  if (withSlope.randomNames.length !== 2) throw new Error('randomSlopeLrt: one random slope (1 + z | g) is supported');
  const lr = Math.max(0, 2 * (withSlope.logLik - interceptOnly.logLik));
  return { term: withSlope.randomNames[1], 'sd.slope': withSlope.sdRandom[1], statistic: lr, 'p.value': 0.5 * pChisqUpper(lr, 1) + 0.5 * pChisqUpper(lr, 2), null: 'chi-bar-squared 0.5 chi2(1) + 0.5 chi2(2)' };
}

/** One truth check: is the true value inside [low, high]? */
export function coverage(check: string, truth: number, estimate: number, low: number, high: number): Row {
  return { check, truth, estimate, 'conf.low': low, 'conf.high': high, inside: truth >= low && truth <= high ? 'yes' : 'NO' };
}
