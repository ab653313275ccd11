// survfit with non-integer case weights uses the robust (IJ) variance by default (survival 3.5-3):
// R: t <- c(2, 3, 3, 5, 7, 8, 8, 9, 11, 12); ev <- c(1, 1, 0, 1, 0, 1, 1, 0, 1, 0)
//    w <- c(1.5, 0.5, 2.25, 1, 0.75, 1.25, 0.5, 2, 1, 1.5)
//    f <- survfit(Surv(t, ev) ~ 1, weights = w); cbind(f$surv, f$std.err, f$lower)
// With robust SEs R sets f$logse = FALSE: f$std.err is then the SE of S (our stdErrSurv), and the
// log-type CI uses std.err / S (our stdErr). survfit(..., robust = FALSE) gives Greenwood.
import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../src/index';

const time = [2, 3, 3, 5, 7, 8, 8, 9, 11, 12];
const event = [1, 1, 0, 1, 0, 1, 1, 0, 1, 0];
const weights = [1.5, 0.5, 2.25, 1, 0.75, 1.25, 0.5, 2, 1, 1.5];
const R = {
  surv: [0.8775510, 0.8367347, 0.7321429, 0.7321429, 0.5271429, 0.5271429, 0.3162857, 0.3162857],
  stdErrRobust: [0.1146257, 0.1202100, 0.1479351, 0.1479351, 0.1872529, 0.1872529, 0.2201735, 0.2201735],
  lower: [0.67934198, 0.63139239, 0.49272436, 0.49272436, 0.26276201, 0.26276201, 0.08082382, 0.08082382],
  // survfit(..., robust = FALSE)$std.err (Greenwood, SE of log S)
  greenwood: [0.1067268, 0.1262075, 0.1838082, 0.1838082, 0.3098511, 0.3098511, 0.6022245, 0.6022245],
};
// R printed 7 significant digits.
const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(5e-7 * Math.abs(b) + 5e-8);

describe('survfit with non-integer weights (robust by default)', () => {
  it('S, the robust SE of S and the log CI as R', () => {
    const c = kaplanMeier({ time, event, weights }).curves[0];
    R.surv.forEach((s, j) => near(c.surv[j], s));
    R.stdErrRobust.forEach((s, j) => near(c.stdErrSurv[j], s));
    R.lower.forEach((s, j) => near(c.lower[j], s));
    c.upper.forEach((u) => expect(u).toBe(1));
  });
  it('robust: false gives Greenwood as survfit(robust = FALSE)', () => {
    const c = kaplanMeier({ time, event, weights, robust: false }).curves[0];
    R.greenwood.forEach((s, j) => near(c.stdErr[j], s));
  });
});
