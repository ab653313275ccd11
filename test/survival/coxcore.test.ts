// The Cox numeric core: partial log-likelihood, score and information at a fixed beta, and the
// risk-set sweep itself. R (survival 3.5), with d from fixtures/agSmall.ts:
//   f <- coxph(Surv(start, stop, status) ~ x1 + x2 + strata(s), data = d, weights = w,
//              ties = "efron", init = c(0.3, -0.2), control = coxph.control(iter.max = 0))
//   f$loglik[1]; solve(f$naive.var); colSums(coxph.detail(f)$score)   (and ties = "breslow";
//   naive.var: the weights are not integers, so f$var is the robust one)
import { describe, expect, it } from 'vitest';
import { prepareCox } from '../../src/survival/coxPrepare';
import { addRegroupedInformation, computeRisk, countEventTimes, coxLogLik, makeWorkspace, sweepEventTimes, type RiskSetSums } from '../../src/survival/coxcore';
import { agSmall, agSmallInput } from './fixtures/agSmall';
import { expectAllClose, expectClose } from './helpers';

const R = {
  efron: { loglik: -15.284796867875572, info: [4.6512039236010381, 1.0142346963895053, 1.0142346963895053, 1.9526959823568122], score: [-2.5529604669930599, -0.9719053203030773] },
  breslow: { loglik: -15.716615247548791, info: [4.7576372246738377, 1.0865605603484134, 1.0865605603484134, 2.0010210072829517], score: [-2.5924995277365297, -0.89861034880138912] },
};

describe('coxLogLik', () => {
  for (const ties of ['efron', 'breslow'] as const) {
    it(`matches coxph's log-likelihood, score and information at a fixed beta (${ties}, counting process, strata, weights)`, () => {
      const { data } = prepareCox(agSmallInput(ties));
      const ws = makeWorkspace(data.n, data.p, countEventTimes(data));
      const ll = coxLogLik(data, [0.3, -0.2], ws);
      expectClose(ll, R[ties].loglik, `${ties} loglik`, 1e-12);
      expectAllClose(ws.u, R[ties].score, `${ties} score`, 1e-10);
      expectAllClose(ws.imat, R[ties].info, `${ties} information`, 1e-10);
    });
  }

  it('score and information are the derivatives of the log-likelihood (finite differences)', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const ws = makeWorkspace(data.n, data.p);
    const b = [0.4, 0.1];
    coxLogLik(data, b, ws);
    const u = Float64Array.from(ws.u);
    const info = Float64Array.from(ws.imat);
    const h = 1e-5;
    for (let a = 0; a < 2; a++) {
      const bp = b.slice(); bp[a] += h;
      const bm = b.slice(); bm[a] -= h;
      const lp = coxLogLik(data, bp, ws);
      const up = Float64Array.from(ws.u);
      const lm = coxLogLik(data, bm, ws);
      const um = Float64Array.from(ws.u);
      expectClose((lp - lm) / (2 * h), u[a], `dℓ/dβ${a}`, 1e-7);
      for (let c = 0; c < 2; c++) expectClose(-(up[c] - um[c]) / (2 * h), info[c * 2 + a], `-dU${c}/dβ${a}`, 1e-6);
    }
  });
});

describe('sweepEventTimes', () => {
  it('visits each distinct event time once per stratum with the rows at risk (checked by brute force)', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const risk = new Float64Array(data.n);
    computeRisk(data, [0.3, -0.2], new Float64Array(data.n), risk);
    const sums: RiskSetSums = { s1: new Float64Array(2), s2: new Float64Array(4), d1: new Float64Array(2), d2: new Float64Array(4) };
    const seen: { stratum: number; t: number; nRisk: number; s0: number; nd: number }[] = [];
    const nTimes = sweepEventTimes(data, risk, sums, false, null, null, (_k, s, first, _end, nd, _dw, s0, _d0, nRisk) => {
      seen.push({ stratum: s, t: data.stop[first], nRisk, s0, nd });
    });
    expect(nTimes).toBe(countEventTimes(data));
    // Brute force on the original rows: at risk at t when start < t ≤ stop, same stratum.
    const d = agSmall;
    const expected: typeof seen = [];
    for (const s of [1, 2]) {
      const times = [...new Set(d.stop.filter((t, i) => d.status[i] === 1 && d.s[i] === s))].sort((a, b) => b - a);
      for (const t of times) {
        let nRisk = 0;
        let s0 = 0;
        let nd = 0;
        d.stop.forEach((stop, i) => {
          if (d.s[i] !== s || !(d.start[i] < t && t <= stop)) return;
          nRisk++;
          s0 += d.w[i] * Math.exp(0.3 * (d.x1[i] - data.means[0]) - 0.2 * (d.x2[i] - data.means[1]));
          if (stop === t && d.status[i] === 1) nd++;
        });
        expected.push({ stratum: s - 1, t, nRisk, s0, nd });
      }
    }
    expect(seen.map(({ s0, ...r }) => r)).toEqual(expected.map(({ s0, ...r }) => r));
    seen.forEach((r, k) => expectClose(r.s0, expected[k].s0, `s0 at ${r.t}`, 1e-13));
  });

  it('a row-moment function gives the same sums as the built-in r·x path', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const risk = new Float64Array(data.n);
    computeRisk(data, [0.3, -0.2], new Float64Array(data.n), risk);
    const collect = (custom: boolean): number[] => {
      const sums: RiskSetSums = { s1: new Float64Array(2), s2: new Float64Array(0), d1: new Float64Array(2), d2: new Float64Array(0) };
      const out: number[] = [];
      const rows = custom ? (dst: Float64Array, j: number, sign: number) => { for (let a = 0; a < 2; a++) dst[a] += sign * risk[j] * data.x[j * 2 + a]; } : null;
      sweepEventTimes(data, risk, sums, false, null, null, (_k, _s, _f, _e, nd) => {
        out.push(...sums.s1);
        if (nd > 1) out.push(...sums.d1);
      }, rows);
      return out;
    };
    expectAllClose(collect(true), collect(false), 's1/d1', 1e-14);
  });
});

describe('addRegroupedInformation (shared by coxLogLik and the frailty sweep)', () => {
  it('adds exactly the risk-set second moments: rerun on the filled workspace, it adds them a second time', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const ws = makeWorkspace(data.n, data.p, countEventTimes(data));
    coxLogLik(data, [0.3, -0.2], ws);
    const info = Float64Array.from(ws.imat);
    const nTimes = countEventTimes(data);
    // imat holds first-moment terms + second moments (upper triangle mirrored); adding the second
    // moments again must move every upper-triangle entry by Σ rowW_i x_ia x_ib, computed directly here
    expect(addRegroupedInformation(data, ws, nTimes)).toBe(true);
    const p = data.p;
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
      let direct = 0;
      for (let i = 0; i < data.n; i++) direct += ws.rowW[i] * data.x[i * p + a] * data.x[i * p + b];
      expectClose(ws.imat[a * p + b] - info[a * p + b], direct, `second moment (${a}, ${b})`, 1e-12);
    }
  });

  it('reports a cancelled diagonal instead of returning it', () => {
    const { data } = prepareCox(agSmallInput('efron'));
    const ws = makeWorkspace(data.n, data.p, countEventTimes(data));
    coxLogLik(data, [0.3, -0.2], ws);
    // first-moment terms that cancel the second moments almost exactly leave no significant digits
    const nTimes = countEventTimes(data);
    const probe = makeWorkspace(data.n, data.p, nTimes);
    probe.kStop.set(ws.kStop); probe.kEnd.set(ws.kEnd); probe.c0.set(ws.c0); probe.c1.set(ws.c1); probe.risk.set(ws.risk);
    probe.imat.fill(0);
    expect(addRegroupedInformation(data, probe, nTimes)).toBe(true);
    const gross = Float64Array.from(probe.imat);
    probe.imat.fill(0);
    for (let a = 0; a < data.p; a++) probe.imat[a * data.p + a] = -gross[a * data.p + a] * (1 - 1e-9);
    expect(addRegroupedInformation(data, probe, nTimes)).toBe(false);
  });
});
