// The log-rank family (R's survdiff): G-rho tests with hypergeometric variances, by stratum.
import { pChisqUpper } from '../core/distributions';
import { quadFormInverse } from '../core/linalg';
import { toRows } from '../core/matrix';
import { labelCodes, type Label } from '../core/groups';
import { groupCodes, readSurvival } from './km';

export interface LogRankInput {
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
  group: ArrayLike<Label>;
  strata?: ArrayLike<Label>;
  /** Weight S(t−)^rho with S the pooled KM (within stratum); 0 = log-rank, 1 = Peto–Peto. */
  rho?: number;
}

export interface LogRankResult {
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
  readonly groups: readonly string[];
  readonly n: readonly number[];
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  readonly variance: readonly (readonly number[])[];
  readonly rho: number;
  /** Why chisq and p are NaN, when they are (fewer than 2 groups with expected events, singular variance). */
  readonly warnings: readonly string[];
}

/**
 * G-rho family test (R's survdiff). Inputs: LogRankInput (right-censored data).
 * Output: chisq = (O−E)' V⁻ (O−E) dropping the first group, df = groups with E > 0 minus 1.
 */
export function logRank(input: LogRankInput): LogRankResult {
  const { t, e, n } = readSurvival(input.time, input.event, undefined, 'logRank');
  const rho = input.rho ?? 0;
  const { codes, levels } = groupCodes(input.group, n, 'logRank');
  const g = levels.length;
  if (g < 2) throw new Error('logRank: group must have at least two levels');
  const strat = input.strata ? labelCodes(input.strata, n, 'logRank: strata') : { codes: new Int32Array(n), levels: ['1'] };
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const sc = strat.codes;
  idx.sort((a, b) => (sc[a] - sc[b]) || (t[a] - t[b]));
  const obs = new Float64Array(g);
  const exp = new Float64Array(g);
  const vv = new Float64Array(g * g);
  const nGroup = new Float64Array(g);
  for (let i = 0; i < n; i++) nGroup[codes[i]]++;
  const risk = new Float64Array(g);
  const dead = new Float64Array(g);
  const removedBy = new Float64Array(g);
  let i = 0;
  while (i < n) {
    // One stratum.
    const s = sc[idx[i]];
    let end = i;
    while (end < n && sc[idx[end]] === s) end++;
    risk.fill(0);
    for (let k = i; k < end; k++) risk[codes[idx[k]]]++;
    let nr = end - i;
    let km = 1;
    let k = i;
    while (k < end) {
      const tt = t[idx[k]];
      let j = k;
      dead.fill(0);
      let dTot = 0;
      let removed = 0;
      removedBy.fill(0);
      while (j < end && t[idx[j]] === tt) {
        const r = idx[j];
        if (e[r]) {
          dead[codes[r]]++;
          dTot++;
        }
        removedBy[codes[r]]++;
        removed++;
        j++;
      }
      if (dTot > 0) {
        const wt = rho === 0 ? 1 : Math.pow(km, rho);
        for (let a = 0; a < g; a++) {
          obs[a] += wt * dead[a];
          exp[a] += (wt * dTot * risk[a]) / nr;
        }
        if (nr > 1) {
          const kk = (wt * wt * dTot * (nr - dTot)) / (nr - 1);
          for (let a = 0; a < g; a++) {
            const pa = risk[a] / nr;
            for (let b = 0; b < g; b++) vv[a * g + b] += kk * pa * ((a === b ? 1 : 0) - risk[b] / nr);
          }
        }
        km *= 1 - dTot / nr;
      }
      for (let a = 0; a < g; a++) risk[a] -= removedBy[a];
      nr -= removed;
      k = j;
    }
    i = end;
  }
  // As survdiff: only groups with expected events enter (a group never at risk at an event time has
  // a zero row and column in V), dropping the first of them.
  const used: number[] = [];
  for (let a = 0; a < g; a++) if (exp[a] > 0) used.push(a);
  const df = used.length - 1;
  const warnings: string[] = [];
  let chisq = NaN;
  if (df < 1) {
    // survdiff prints chisq 0 on 0 df (p = 1); there is no comparison, so we say so instead.
    warnings.push(`logRank: fewer than 2 groups have expected events (${used.map((a) => levels[a]).join(', ') || 'none'}); there is nothing to compare, so chisq and p are NaN`);
  } else {
    const diff = new Float64Array(df);
    const sub = new Float64Array(df * df);
    for (let a = 1; a <= df; a++) {
      diff[a - 1] = obs[used[a]] - exp[used[a]];
      for (let b = 1; b <= df; b++) sub[(a - 1) * df + (b - 1)] = vv[used[a] * g + used[b]];
    }
    chisq = quadFormInverse(sub, df, diff);
    if (Number.isNaN(chisq)) warnings.push('logRank: the variance of O − E is singular; chisq and p are NaN');
  }
  const variance = toRows(vv, g);
  const excluded = levels.filter((_, a) => !(exp[a] > 0));
  if (excluded.length && df >= 1) warnings.push(`logRank: group ${excluded.join(', ')} has no expected events (never at risk at an event time) and is left out of the test, as survdiff does`);
  return Object.freeze({
    chisq, df, p: pChisqUpper(chisq, df), groups: levels, n: Array.from(nGroup), observed: Array.from(obs), expected: Array.from(exp), variance, rho,
    warnings: Object.freeze(warnings),
  });
}
