// The implicit Fine–Gray sweep (src/survival/finegraySweep) against its oracle: fitCox on the
// written-out finegray() rows (finegrayData), which is R's
//   fg <- finegray(Surv(time, ev) ~ ., data = d, etype = 'event')
//   coxph(Surv(fgstart, fgstop, fgstatus) ~ x + cluster(id), weights = fgwt, data = fg)
// (the R fixture itself is checked in finegray.test.ts). Random data with heavy ties (times on a
// coarse grid, as the notebook's monthly timeGrid), both tie methods, with and without clusters.
import { describe, expect, it } from 'vitest';
import { finegrayData, fitFineGray } from '../../src/survival/finegray';
import { finegrayLayout } from '../../src/survival/finegraySweep';
import { fitCox } from '../../src/survival/cox';
import { expectAllClose, expectClose } from './helpers';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

/** n subjects, 3 covariates (one 0/1), times on a grid of `grid` steps, causes 0/1/2. */
function sample(n: number, grid: number, seed: number) {
  const u = lcg(seed);
  const time = new Float64Array(n);
  const status = new Array<number>(n);
  const x = new Float64Array(n * 3);
  const id = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const x1 = u() * 2 - 1;
    const x2 = u() < 0.4 ? 1 : 0;
    const x3 = Math.floor(u() * 4);
    x.set([x1, x2, x3], i * 3);
    const h1 = Math.exp(0.5 * x1 - 0.4 * x2 + 0.1 * x3);
    const t1 = -Math.log(u()) / h1;
    const t2 = -Math.log(u()) / (0.6 * Math.exp(0.3 * x2));
    const c = u() * 2.5;
    const t = Math.min(t1, t2, c);
    time[i] = Math.ceil(t * grid) / grid;
    status[i] = t === c ? 0 : t === t1 ? 1 : 2;
    id[i] = `c${Math.floor(i / 3)}`;
  }
  return { time, status, x, id };
}

function oracle(d: ReturnType<typeof sample>, ties: 'efron' | 'breslow', cluster: boolean) {
  const code = Uint8Array.from(d.status);
  const fg = finegrayData(d.time, code);
  const m = fg.row.length;
  const xe = new Float64Array(m * 3);
  for (let k = 0; k < m; k++) xe.set(d.x.subarray(fg.row[k] * 3, fg.row[k] * 3 + 3), k * 3);
  return fitCox({
    time: fg.stop, entry: fg.start, event: fg.status, weights: fg.weight, x: { nrow: m, ncol: 3, data: xe },
    names: ['x1', 'x2', 'x3'], cluster: cluster ? Array.from(fg.row, (r) => d.id[r]) : undefined, robust: true, ties, eps: 1e-12, iterMax: 50,
  });
}

describe('fitFineGray (implicit sweep) equals fitCox on the written-out finegray() rows', () => {
  for (const ties of ['efron', 'breslow'] as const) {
    for (const cluster of [false, true]) {
      for (const grid of [12, 365]) {
        it(`${ties} ties, ${cluster ? 'clustered' : 'rows as clusters'}, grid 1/${grid}`, () => {
          const d = sample(900, grid, grid * 7 + (cluster ? 1 : 0) + (ties === 'efron' ? 0 : 2));
          const f = fitFineGray({ time: d.time, status: d.status, cause: 1, x: { nrow: 900, ncol: 3, data: d.x }, names: ['x1', 'x2', 'x3'],
            cluster: cluster ? d.id : undefined, ties, eps: 1e-12, iterMax: 50 });
          const o = oracle(d, ties, cluster);
          expect(f.n).toBe(o.n);
          expect(f.nEvent).toBe(o.nEvent);
          expectAllClose(f.coef, o.coef, 'coef', 1e-9);
          expectAllClose(f.seNaive, o.seNaive, 'se naive', 1e-9);
          expectAllClose(f.se, o.se, 'robust se', 1e-9);
          expectAllClose(f.means, o.means, 'means', 1e-12);
          expectClose(f.logLik[0], o.logLik[0], 'loglik null', 1e-12);
          expectClose(f.logLik[1], o.logLik[1], 'loglik', 1e-12);
          expectClose(f.scoreTest.statistic, o.scoreTest.statistic, 'score test', 1e-9);
          expectClose(f.robustScoreTest!.statistic, o.robustScoreTest!.statistic, 'robust score test', 1e-9);
          expectClose(f.concordance.concordance, o.concordance.concordance, 'concordance', 1e-12);
          expectAllClose(f.linearPredictors, o.linearPredictors, 'linear predictors', 1e-9, 1e-12);
        });
      }
    }
  }

  it('the layout counts finegray() rows without writing them', () => {
    const d = sample(500, 12, 3);
    const code = Uint8Array.from(d.status);
    const L = finegrayLayout(d.time, code, d.x, 3);
    const fg = finegrayData(d.time, code);
    expect(L.nRows).toBe(fg.row.length);
    const perSubject = new Int32Array(500);
    for (let k = 0; k < fg.row.length; k++) perSubject[fg.row[k]]++;
    expect(Array.from(L.rows)).toEqual(Array.from(perSubject));
  });

  it('above concordanceMaxRows the concordance is NaN with a warning, the coefficients unchanged', () => {
    const d = sample(600, 12, 5);
    const base = { time: d.time, status: d.status, cause: 1, x: { nrow: 600, ncol: 3, data: d.x }, names: ['x1', 'x2', 'x3'], cluster: d.id };
    const full = fitFineGray(base);
    const capped = fitFineGray({ ...base, concordanceMaxRows: 100 });
    expect(Number.isNaN(capped.concordance.concordance)).toBe(true);
    expect(capped.warnings.join('\n')).toMatch(/concordance not computed: finegray\(\) data would have [\d,]+ rows, more than concordanceMaxRows = 100/);
    expect(capped.coef).toEqual(full.coef);
    expect(capped.se).toEqual(full.se);
  });
});
