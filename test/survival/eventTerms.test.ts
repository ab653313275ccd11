// The per-event-time accumulators shared by every Cox sweep. Checked two ways: against Efron's
// approximation written out death by death (Therneau & Grambsch 2000, §3.3: the m-th of nd tied
// deaths sees the risk set less m/nd of the deaths' risk), and, summed over a sweep with second
// moments, against R's coxph at a fixed beta (the same call as coxcore.test.ts):
//   coxph(Surv(start, stop, status) ~ x1 + x2 + strata(s), data = d, weights = w, ties = "efron",
//         init = c(0.3, -0.2), control = coxph.control(iter.max = 0))   # loglik, solve(naive.var)
import { describe, expect, it } from 'vitest';
import { addDeathTerms, addEventTimeInformation, addFirstMomentTerms, type RiskSetSums } from '../../src/survival/eventTerms';
import { EF_SLOTS, efronTerms } from '../../src/survival/efron';
import { computeRisk, sweepEventTimes } from '../../src/survival/coxcore';
import { prepareCox } from '../../src/survival/coxPrepare';
import { agSmallInput } from './fixtures/agSmall';
import { expectAllClose, expectClose } from './helpers';

// One event time: 5 rows at risk (p = 2), the first three die together.
const x = [[0.2, 1], [-0.5, 0], [1.1, 1], [0.4, 0], [-0.9, 1]];
const r = [1.3, 0.7, 2.1, 0.9, 1.6];
const w = [1, 2, 1, 1, 1];
const dead = [true, true, true, false, false];

function moments(): RiskSetSums & { s0: number; d0: number; dw: number; nd: number } {
  const m = { s1: new Float64Array(2), s2: new Float64Array(4), d1: new Float64Array(2), d2: new Float64Array(4), s0: 0, d0: 0, dw: 0, nd: 0 };
  x.forEach((xi, i) => {
    m.s0 += r[i];
    for (let a = 0; a < 2; a++) {
      m.s1[a] += r[i] * xi[a];
      for (let b = a; b < 2; b++) m.s2[a * 2 + b] += r[i] * xi[a] * xi[b];
    }
    if (!dead[i]) return;
    m.d0 += r[i]; m.dw += w[i]; m.nd++;
    for (let a = 0; a < 2; a++) {
      m.d1[a] += r[i] * xi[a];
      for (let b = a; b < 2; b++) m.d2[a * 2 + b] += r[i] * xi[a] * xi[b];
    }
  });
  return m;
}

/** Efron written out: Σ_m wm [log den_m, mean_m, (S2_m/den_m − mean_m mean_mᵀ)]. */
function bruteForce(efron: boolean): { logSum: number; meanSum: number[]; info: number[] } {
  const m = moments();
  const wm = m.dw / m.nd;
  let logSum = 0;
  const meanSum = [0, 0];
  const info = [0, 0, 0, 0];
  for (let k = 0; k < m.nd; k++) {
    const f = efron ? k / m.nd : 0;
    const den = m.s0 - f * m.d0;
    logSum += wm * Math.log(den);
    const mean = [0, 1].map((a) => (m.s1[a] - f * m.d1[a]) / den);
    for (let a = 0; a < 2; a++) {
      meanSum[a] += wm * mean[a];
      for (let b = 0; b < 2; b++) {
        const s2 = m.s2[Math.min(a, b) * 2 + Math.max(a, b)] - f * m.d2[Math.min(a, b) * 2 + Math.max(a, b)];
        info[a * 2 + b] += wm * (s2 / den - mean[a] * mean[b]);
      }
    }
  }
  return { logSum, meanSum, info };
}

describe('addEventTimeInformation / addFirstMomentTerms', () => {
  for (const efron of [true, false]) {
    it(`equal ${efron ? "Efron's" : "Breslow's"} terms written out death by death`, () => {
      const m = moments();
      const u = new Float64Array(2);
      const imat = new Float64Array(4);
      const ef = new Float64Array(EF_SLOTS);
      const dec = addEventTimeInformation(m, 2, efron, m.nd, m.dw, m.s0, m.d0, u, imat, ef);
      const bf = bruteForce(efron);
      expectClose(dec, bf.logSum, 'log-likelihood decrement', 1e-14);
      expectAllClose(u, bf.meanSum.map((v) => -v), 'score (without the deaths own x)', 1e-14);
      // Upper triangle only.
      expectAllClose([imat[0], imat[1], imat[3]], [bf.info[0], bf.info[1], bf.info[3]], 'information', 1e-13);
      expect(imat[2]).toBe(0);
    });
  }

  it('the first-moment part alone is the information less the second-moment part', () => {
    const m = moments();
    const ef = new Float64Array(EF_SLOTS);
    efronTerms(true, m.nd, m.dw, m.s0, m.d0, ef);
    const u = new Float64Array(2);
    const imat = new Float64Array(4);
    addFirstMomentTerms(m.s1, m.d1, 2, true, ef, u, imat);
    const full = new Float64Array(4);
    addEventTimeInformation(m, 2, true, m.nd, m.dw, m.s0, m.d0, new Float64Array(2), full);
    const c0 = ef[1];
    const c1 = ef[2];
    for (const k of [0, 1, 3]) expectClose(full[k] - imat[k], m.s2[k] * c0 - m.d2[k] * c1, `second-moment part [${k}]`, 1e-13);
  });

  it('addDeathTerms sums w·η and w·x over the dying rows only', () => {
    const xs = Float64Array.from(x.flat());
    const eta = Float64Array.from([0.1, -0.2, 0.3, 5, 7]);
    const u = new Float64Array(2);
    const ll = addDeathTerms(xs, 2, Uint8Array.from(dead.map(Number)), Float64Array.from(w), eta, 0, 5, u);
    expectClose(ll, 0.1 - 0.4 + 0.3, 'Σ w η', 1e-15);
    expectAllClose(u, [0.2 - 1.0 + 1.1, 1 + 0 + 1], 'Σ w x', 1e-15);
  });

  it("summed over a second-moment sweep, they give coxph's log-likelihood and information", () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const eta = new Float64Array(data.n);
    const risk = new Float64Array(data.n);
    computeRisk(data, [0.3, -0.2], eta, risk);
    const sums: RiskSetSums = { s1: new Float64Array(2), s2: new Float64Array(4), d1: new Float64Array(2), d2: new Float64Array(4) };
    const u = new Float64Array(2);
    const imat = new Float64Array(4);
    let ll = 0;
    sweepEventTimes(data, risk, sums, true, null, null, (_k, _s, first, end, nd, dw, s0, d0) => {
      ll += addDeathTerms(data.x, 2, data.status, data.weight, eta, first, end, u);
      ll -= addEventTimeInformation(sums, 2, true, nd, dw, s0, d0, u, imat);
    });
    expectClose(ll, -15.284796867875572, 'loglik', 1e-12);
    expectAllClose(u, [-2.5529604669930599, -0.9719053203030773], 'score', 1e-10);
    expectAllClose([imat[0], imat[1], imat[3]], [4.6512039236010381, 1.0142346963895053, 1.9526959823568122], 'information', 1e-10);
  });
});
