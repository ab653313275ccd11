/**
 * Efron's tie coefficients (survival/efron.ts), the helper every Cox sweep shares. Checks are
 * closed forms, not the helper's own loop: with one death, or with tied deaths of no risk
 * (d0 = 0), Efron equals Breslow; with d0 = s0 the denominators are s0·(1 − m/nd), whose sums
 * are harmonic numbers. (R's coxph ties = 'efron' agreement is in cox.test.ts's fixtures.)
 */
import { describe, expect, it } from 'vitest';
import { EF_C0, EF_C1, EF_LOG, EF_MB0, EF_MB1, EF_Q0, EF_Q1, EF_Q2, EF_SLOTS, efronTerms } from '../../src/survival/efron';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-13 * Math.max(1, Math.abs(b)));

describe('efronTerms', () => {
  it('Breslow: c0 = dw/s0, q0 = dw/s0², log term dw·log s0, no tie parts', () => {
    const ef = new Float64Array(EF_SLOTS);
    efronTerms(false, 3, 2.5, 10, 4, ef);
    close(ef[EF_C0], 0.25);
    close(ef[EF_Q0], 0.025);
    close(ef[EF_LOG], 2.5 * Math.log(10));
    expect([ef[EF_C1], ef[EF_Q1], ef[EF_Q2], ef[EF_MB1]]).toEqual([0, 0, 0, 0]);
    close(ef[EF_MB0], 0.1);
  });

  it('Efron with one death, or tied deaths carrying no risk, equals Breslow in c0, q0 and the log term', () => {
    const a = new Float64Array(EF_SLOTS);
    const b = new Float64Array(EF_SLOTS);
    efronTerms(true, 1, 1.5, 7, 2, a);
    efronTerms(false, 1, 1.5, 7, 2, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    efronTerms(true, 4, 4, 8, 0, a);
    close(a[EF_C0], 0.5);
    close(a[EF_Q0], 4 / 64);
    close(a[EF_LOG], 4 * Math.log(8));
    // c1 = Σ wm f / s0 with Σ f = (nd − 1)/2
    close(a[EF_C1], (1 / 8) * 1.5);
    close(a[EF_MB0], 1 / 8);
  });

  it('all of the risk set dying (d0 = s0): harmonic sums', () => {
    const nd = 5;
    const s0 = 3;
    const dw = 5;
    const ef = new Float64Array(EF_SLOTS);
    efronTerms(true, nd, dw, s0, s0, ef);
    // den_m = s0 (nd − m)/nd, wm = 1: Σ 1/den = (nd/s0) H_nd, Σ f/den = (1/s0) Σ m/(nd − m)
    let H = 0;
    let F = 0;
    let H2 = 0;
    let logs = 0;
    for (let m = 0; m < nd; m++) {
      H += 1 / (nd - m);
      F += m / (nd - m);
      H2 += 1 / ((nd - m) * (nd - m));
      logs += Math.log((s0 * (nd - m)) / nd);
    }
    close(ef[EF_C0], (nd / s0) * H);
    close(ef[EF_C1], F / s0);
    close(ef[EF_Q0], ((nd * nd) / (s0 * s0)) * H2);
    close(ef[EF_LOG], logs);
    close(ef[EF_MB0], H / s0);
    close(ef[EF_MB1], F / (nd * s0));
    // q1 + (q0 − q1) and q2 ≤ q1 ≤ q0 for fractions in [0, 1)
    expect(ef[EF_Q2]).toBeLessThan(ef[EF_Q1]);
    expect(ef[EF_Q1]).toBeLessThan(ef[EF_Q0]);
  });
});
