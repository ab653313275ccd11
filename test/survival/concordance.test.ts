// Harrell's concordance (src/survival/concordance, as fitCox stores it) against R's coxph on
// survival::aml. R 4.2, survival 3.5:
//   coxph(Surv(time, status) ~ x, aml)$concordance
//   # concordant 81, discordant 31, tied.x 98, tied.y 1, tied.xy 2, concordance 0.6190476190476191, std 0.0631849960441082
import { describe, expect, it } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { createRng } from '../../src/core/random';
import { AML } from './fixtures/small';

describe('concordanceCounts (coxph $concordance)', () => {
  it('gives R\'s pair counts, concordance and IJ standard error', () => {
    const f = fitCox({ time: AML.time, event: AML.status, x: AML.x.map((v) => [v === 'Nonmaintained' ? 1 : 0]) });
    const c = f.concordance;
    expect(c.concordant).toBe(81);
    expect(c.discordant).toBe(31);
    expect(c.tiedRisk).toBe(98);
    expect(c.tiedTime).toBe(1);
    expect(c.tiedBoth).toBe(2);
    expect(c.concordance).toBeCloseTo(0.6190476190476191, 14);
    expect(c.stdErr).toBeCloseTo(0.0631849960441082, 10);
  });
  it('equals a brute-force count over all pairs on continuous data', () => {
    const rng = createRng(8);
    const n = 120;
    const x = Array.from({ length: n }, () => rng.nextNormal());
    const time = x.map((v) => -Math.log(rng.nextFloat()) / Math.exp(0.7 * v));
    const event = time.map(() => (rng.nextFloat() < 0.7 ? 1 : 0));
    const f = fitCox({ time, event, x: x.map((v) => [v]) });
    const lp = f.linearPredictors;
    let conc = 0; let disc = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (!event[i] || !(time[i] < time[j])) continue; // i fails first, j still at risk
      if (lp[i] > lp[j]) conc++; else if (lp[i] < lp[j]) disc++;
    }
    expect(f.concordance.concordant).toBe(conc);
    expect(f.concordance.discordant).toBe(disc);
  });
  it('a perfectly ordered score has no IJ variance: NaN standard error and a warning, not std 0', () => {
    // Every comparable pair concordant: each row's IJ influence is 0. R 4.2, survival 3.5:
    //   coxph(Surv(time, status) ~ x, d)$concordance   # concordant 21, discordant 0, concordance 1, std 0
    // (d: the time, status and x below). std 0 would be a CI of zero width; we give NaN and say why.
    const time = [1, 2, 3, 4, 5, 6, 7, 8];
    const x = [[8.1], [7.3], [6.2], [5.9], [4.4], [3.8], [2.5], [1.1]];
    const f = fitCox({ time, event: [1, 1, 0, 1, 1, 0, 1, 1], x });
    expect(f.concordance.concordance).toBe(1);
    expect(f.concordance.stdErr).toBeNaN();
    expect(f.glance()['std.error.concordance']).toBeNaN();
    expect(f.warnings.some((w) => /concordance's infinitesimal-jackknife variance is zero \(concordance 1\.0000/.test(w))).toBe(true);
  });
});
