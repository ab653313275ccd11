// Martingale and score residuals from the hazard sweep, against R (survival 3.5) at a fixed beta:
//   f <- coxph(Surv(start, stop, status) ~ x1 + x2 + strata(s), data = d, weights = w, ties = "efron",
//              init = c(0.3, -0.2), control = coxph.control(iter.max = 0))   # d: fixtures/agSmall.ts
//   residuals(f, "martingale"); residuals(f, "score")      # unweighted, one row per observation
// plus the property Σ w·score = U(β) and the per-cluster sums used by the robust variance.
import { describe, expect, it } from 'vitest';
import { prepareCox } from '../../src/survival/coxPrepare';
import { coxResiduals, hazardSweep } from '../../src/survival/coxResiduals';
import { coxLogLik, makeWorkspace } from '../../src/survival/coxcore';
import { agSmallInput } from './fixtures/agSmall';
import { expectAllClose } from './helpers';

const R = {
  martingale: [-0.4866757217301513894, 0.7609706697443012757, -1.4000984676662222572, 0.0630303596725925175, 0.2702873103988823189, 0, 0.0085242356020960308, -1.3674165067392096695, 0.4869324284290486027, -0.600316588574134169, 0.3163424299511663484, 0.847251471441868631],
  score1: [-0.087776039658714722, -0.990628341096516096, 0.106003325443450758, -0.113744764433056533, -0.360165296193159845, 0, 0.200564948468334725, -0.465993961792441347, 0.505446116666763645, 0.280898650073187595, 0.373322136854465692, -1.013502141444069471],
  score2: [-0.234177565002069488, -0.463459866989894109, -0.220540125280069027, -0.078103673227806036, -0.293435715783849027, 0, 0.059322710964170078, 0.805296710401370963, 0.155398125048536367, 0.409987400438028671, 0.173995331597013858, -0.638005959609867723],
};
const beta = [0.3, -0.2];

/** Sweep-order values back to input row order. */
function unsort(order: Uint32Array, v: ArrayLike<number>, stride = 1, col = 0): number[] {
  const out = new Array<number>(order.length);
  for (let k = 0; k < order.length; k++) out[order[k]] = v[k * stride + col];
  return out;
}

describe('coxResiduals', () => {
  it("matches residuals.coxph's martingale and score residuals (Efron, counting process, strata, weights)", () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const { score, martingale } = coxResiduals(data, hazardSweep(data, beta), true);
    expectAllClose(unsort(data.order, martingale), R.martingale, 'martingale', 1e-10, 1e-12);
    expectAllClose(unsort(data.order, score as Float64Array, 2, 0), R.score1, 'score x1', 1e-10, 1e-12);
    expectAllClose(unsort(data.order, score as Float64Array, 2, 1), R.score2, 'score x2', 1e-10, 1e-12);
  });

  it('Σ w·score equals the score vector, and per-cluster sums add up to the per-row ones', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const hz = hazardSweep(data, beta);
    const { score } = coxResiduals(data, hz, true);
    const ws = makeWorkspace(data.n, data.p);
    coxLogLik(data, beta, ws);
    const U = [0, 0];
    for (let i = 0; i < data.n; i++) for (let a = 0; a < 2; a++) U[a] += data.weight[i] * (score as Float64Array)[i * 2 + a];
    expectAllClose(U, ws.u, 'Σ w score', 1e-12);
    const cluster = Int32Array.from({ length: data.n }, (_, i) => i % 3);
    const out = new Float64Array(3 * 2);
    const r = coxResiduals(data, hz, true, { cluster, out });
    expect(r.score).toBeNull();
    const byHand = new Float64Array(6);
    for (let i = 0; i < data.n; i++) for (let a = 0; a < 2; a++) byHand[cluster[i] * 2 + a] += data.weight[i] * (score as Float64Array)[i * 2 + a];
    expectAllClose(out, byHand, 'cluster sums', 1e-13);
  });

  it('the martingale-only path gives the same martingale residuals', () => {
    const { data } = prepareCox(agSmallInput('breslow'));
    const hz = hazardSweep(data, beta);
    expectAllClose(coxResiduals(data, hz, false).martingale, coxResiduals(data, hz, true).martingale, 'martingale', 1e-15);
  });
});
