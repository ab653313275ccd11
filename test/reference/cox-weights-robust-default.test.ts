// ../shared/bugs/cox-weights-robust-default: non-integer case weights select R's robust variance.
// R: d <- read.csv("data.csv"); f <- coxph(Surv(time, status) ~ x, data = d, weights = w)
//    summary(f)$coefficients  →  coef 0.435463772, se(coef) 0.1262371296, robust se 0.1513434144,
//    z 2.87732224, p 0.004010658047
import { describe, expect, it } from 'vitest';
import { fitCox } from '../../src/index';
import { readBugColumns } from './bugs';

const d = readBugColumns('cox-weights-robust-default');
const input = { time: d.time as number[], event: d.status as number[], x: (d.x as number[]).map((v) => [v]), names: ['x'], weights: d.w as number[] };
const close = (a: number, b: number, rtol = 1e-6) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.abs(b) + 1e-10);

describe('coxph with non-integer case weights (R default: robust variance)', () => {
  it('reports the robust SE, z and p by default and says why', () => {
    const f = fitCox(input);
    close(f.coef[0], 0.435463772);
    close(f.seNaive[0], 0.1262371296);
    close(f.se[0], 0.1513434144);
    close(f.robustSe![0], 0.1513434144);
    close(f.z[0], 2.87732224);
    close(f.p[0], 0.004010658047);
    expect(f.varianceType).toBe('robust');
    expect(f.warnings.some((w) => /not all integers.*robust/.test(w))).toBe(true);
    // The CI uses the reported (robust) SE, as R's confint(f).
    close(Math.log(f.ci.upper[0]), 0.435463772 + 1.959963984540054 * 0.1513434144);
  });
  it('still gives the model-based variance on request (robust: false)', () => {
    const f = fitCox({ ...input, robust: false });
    expect(f.varianceType).toBe('model');
    close(f.se[0], 0.1262371296);
  });
  it('keeps the model-based default for integer (frequency) weights', () => {
    const f = fitCox({ ...input, weights: (d.w as number[]).map((w) => Math.round(w) || 1) });
    expect(f.varianceType).toBe('model');
    expect(f.robustSe).toBeNull();
  });
});
