import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/random';
import { fitCox } from '../../src/survival/cox';
import { kaplanMeier } from '../../src/survival/km';
import { logRank } from '../../src/survival/logrank';
import { cumulativeIncidence } from '../../src/survival/competing';
import { pwpData, fitPwp } from '../../src/survival/recurrent';
import { readCase, design, expectClose, expectAllClose } from './helpers';

/** Simulates right-censored data from a Cox model with exponential baseline (rate 0.1). */
function simulate(seed: number, n: number, beta: number[], opts: { continuous?: boolean } = {}) {
  const rng = createRng(seed);
  const p = beta.length;
  const x: number[][] = [];
  const time: number[] = [];
  const event: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, (_, j) => (j % 2 === 0 ? rng.nextNormal() : rng.nextFloat() < 0.4 ? 1 : 0));
    let lp = 0;
    row.forEach((v, j) => (lp += v * beta[j]));
    const tEvent = -Math.log(rng.nextFloat()) / (0.1 * Math.exp(lp));
    const tCens = -Math.log(rng.nextFloat()) / 0.05;
    let t = Math.min(tEvent, tCens);
    if (!opts.continuous) t = Math.ceil(t);
    x.push(row);
    time.push(t);
    event.push(tEvent <= tCens ? 1 : 0);
  }
  return { x, time, event };
}

describe('Cox properties', () => {
  it('row order does not change the fit', () => {
    const c = readCase('cox_strata');
    const d = design(c.rows, ['age', 'female', 'deprivation', 'treat']);
    const rng = createRng(7);
    const perm = Array.from({ length: c.rows.length }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const args = (ix: number[]) => ({
      time: ix.map((i) => Number(c.rows[i].time)),
      event: ix.map((i) => Number(c.rows[i].status)),
      x: ix.map((i) => d.x[i]),
      strata: ix.map((i) => c.rows[i].la),
      cluster: ix.map((i) => c.rows[i].la),
    });
    const a = fitCox(args(perm.map((_, i) => i)));
    const b = fitCox(args(perm));
    expectAllClose(b.coef, a.coef, 'coef', 1e-10);
    expectAllClose(b.se, a.se, 'robust se', 1e-9);
    expectClose(b.logLik[1], a.logLik[1], 'loglik', 1e-12);
    expect(b.concordance.concordant).toBe(a.concordance.concordant);
    expectClose(b.concordance.stdErr, a.concordance.stdErr, 'concordance se', 1e-9);
    // Linear predictors follow the rows.
    perm.forEach((orig, k) => expectClose(b.linearPredictors[k], a.linearPredictors[orig], `lp ${k}`, 1e-9, 1e-12));
  });

  for (const ties of ['efron', 'breslow'] as const) {
    it(`integer weights equal duplicated rows (${ties}, counting process)`, () => {
      const c = readCase('cox_counting_ag');
      const rng = createRng(11);
      const w = c.rows.map(() => 1 + rng.nextInt(3));
      const d = design(c.rows, ['age', 'female', 'x', 'tx']);
      const weighted = fitCox({
        time: c.rows.map((r) => Number(r.stop)), entry: c.rows.map((r) => Number(r.start)),
        event: c.rows.map((r) => Number(r.event)), x: d.x, weights: w, ties,
      });
      const rows: number[] = [];
      w.forEach((k, i) => { for (let j = 0; j < k; j++) rows.push(i); });
      const dup = fitCox({
        time: rows.map((i) => Number(c.rows[i].stop)), entry: rows.map((i) => Number(c.rows[i].start)),
        event: rows.map((i) => Number(c.rows[i].event)), x: rows.map((i) => d.x[i]), ties,
      });
      // Efron treats duplicated tied deaths as d separate deaths, weights as one weighted death:
      // the two agree exactly only for Breslow.
      if (ties === 'breslow') {
        expectAllClose(weighted.coef, dup.coef, 'coef', 1e-9);
        expectAllClose(weighted.seNaive, dup.seNaive, 'se', 1e-9);
        expectClose(weighted.logLik[1], dup.logLik[1], 'loglik', 1e-10);
        expectClose(weighted.scoreTest.statistic, dup.scoreTest.statistic, 'score', 1e-9);
      } else {
        expectAllClose(weighted.coef, dup.coef, 'coef (efron, approx)', 2e-2);
      }
    });
  }

  it('score test of one binary covariate equals the log-rank test (no ties)', () => {
    for (const seed of [1, 2, 3]) {
      const s = simulate(seed, 300, [0.5], { continuous: true });
      const g = s.x.map((r) => (r[0] > 0 ? 1 : 0));
      const fit = fitCox({ time: s.time, event: s.event, x: g.map((v) => [v]) });
      const lr = logRank({ time: s.time, event: s.event, group: g });
      expectClose(fit.scoreTest.statistic, lr.chisq, `seed ${seed}`, 1e-10);
    }
  });

  it('recovers true hazard ratios: 95% CIs cover at about the nominal rate', () => {
    const beta = [0.5, -0.7, 0.3];
    let covered = 0;
    let total = 0;
    const nSim = 60;
    for (let seed = 100; seed < 100 + nSim; seed++) {
      const s = simulate(seed, 300, beta);
      const fit = fitCox({ time: s.time, event: s.event, x: s.x });
      expect(fit.converged).toBe(true);
      beta.forEach((b, j) => {
        total++;
        if (Math.log(fit.ci.lower[j]) <= b && b <= Math.log(fit.ci.upper[j])) covered++;
      });
    }
    // 180 intervals: nominal 95 %, binomial SD ≈ 1.6 points.
    expect(covered / total).toBeGreaterThan(0.89);
    expect(covered / total).toBeLessThanOrEqual(0.995);
  });

  it('warns when a coefficient heads to infinity (perfect separation)', () => {
    const time = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const event = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const x = time.map((t) => [t <= 5 ? 1 : 0]);
    const fit = fitCox({ time, event, x, names: ['early'] });
    expect(fit.warnings.join(' ')).toMatch(/early.*infinite/);
  });

  it('rejects bad input with the field and row', () => {
    expect(() => fitCox({ time: [1, 2], event: [1, 2], x: [[0], [1]] })).toThrow(/event must be 0\/1 at row 2/);
    expect(() => fitCox({ time: [1, NaN], event: [1, 0], x: [[0], [1]] })).toThrow(/time .* row 2/);
    expect(() => fitCox({ time: [1, 2], event: [1, 0], x: [[0], [NaN]], names: ['a'] })).toThrow(/row 2, column a/);
    expect(() => fitCox({ time: [1, 2], event: [1, 0], entry: [0, 3], x: [[0], [1]] })).toThrow(/entry must be < time at row 2/);
  });

  it('fit result is frozen', () => {
    const s = simulate(5, 100, [0.3]);
    const fit = fitCox({ time: s.time, event: s.event, x: s.x });
    expect(Object.isFrozen(fit)).toBe(true);
    expect(Object.isFrozen(fit.coef)).toBe(true);
  });
});

describe('competing risks and recurrent events', () => {
  it('Aalen–Johansen with one cause equals 1 − Kaplan–Meier; causes sum to 1 − S', () => {
    const s = simulate(21, 400, [0.4, 0.2]);
    const km = kaplanMeier({ time: s.time, event: s.event }).curves[0];
    const one = cumulativeIncidence({ time: s.time, cause: s.event });
    expectAllClose(one.cif[0], km.surv.map((v) => 1 - v), 'cif vs 1-KM', 1e-12, 1e-14);
    const rng = createRng(3);
    const cause = s.event.map((e) => (e === 0 ? 0 : rng.nextFloat() < 0.3 ? 'transfer' : 'rereferral'));
    const two = cumulativeIncidence({ time: s.time, cause });
    expect(two.causes).toEqual(['rereferral', 'transfer']);
    const sum = two.cif[0].map((v, j) => v + two.cif[1][j]);
    expectAllClose(sum, km.surv.map((v) => 1 - v), 'sum of cifs', 1e-12, 1e-14);
  });

  it('PWP gap time equals a stratified Cox model on the gap intervals built by hand', () => {
    const c = readCase('cox_counting_ag');
    const rows = c.rows;
    const base = { id: rows.map((r) => r.id), entry: rows.map((r) => Number(r.start)), time: rows.map((r) => Number(r.stop)), event: rows.map((r) => Number(r.event)) };
    const d = design(rows, ['age', 'female', 'x', 'tx']);
    const pd = pwpData(base, 'gap');
    // By hand: per id, event number and the time since the previous event.
    const last = new Map<string, { k: number; t: number }>();
    rows.forEach((r, i) => {
      const st = last.get(r.id) ?? { k: 1, t: 0 };
      expect(pd.eventNumber[i]).toBe(st.k);
      expect(pd.entry[i]).toBe(Number(r.start) - st.t);
      expect(pd.time[i]).toBe(Number(r.stop) - st.t);
      last.set(r.id, Number(r.event) === 1 ? { k: st.k + 1, t: Number(r.stop) } : st);
    });
    const fit = fitPwp({ ...base, x: d.x, names: d.names }, 'gap', 4);
    const byHand = fitCox({ time: pd.time, entry: pd.entry, event: pd.event, x: d.x, names: d.names, strata: Array.from(pd.eventNumber, (k) => Math.min(k, 4)), cluster: base.id });
    expectAllClose(fit.coef, byHand.coef, 'coef', 1e-12);
    expect(fit.robustSe).not.toBeNull();
    const total = fitPwp({ ...base, x: d.x, names: d.names }, 'total');
    expect(total.converged).toBe(true);
  });
});
