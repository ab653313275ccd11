// glm (logit) with non-integer prior weights: R warns "non-integer #successes in a binomial glm!"
// and this project then reports the HC0 sandwich by default (non-integer weights are not counts).
// R: x <- c(0.1, 0.5, -1.2, 2.0, 0.3, -0.7, 1.1, -0.2, 0.8, -1.5); y <- c(0, 1, 0, 1, 1, 0, 1, 0, 0, 1)
//    w <- c(1.5, 0.5, 2.25, 1, 0.75, 1.25, 0.5, 2, 1, 1.5)
//    f <- glm(y ~ x, family = binomial, weights = w, control = glm.control(epsilon = 1e-14))
//    coef(f)                              -0.570066811332  0.567639044342
//    sqrt(diag(sandwich::vcovHC(f, type = "HC0")))  0.683278970775  0.827132665657
//    sqrt(diag(vcov(f)))                   0.623607067400  0.631530513702
import { describe, expect, it } from 'vitest';
import { fitLogit } from '../../src/index';

const x = [0.1, 0.5, -1.2, 2.0, 0.3, -0.7, 1.1, -0.2, 0.8, -1.5];
const y = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1];
const weights = [1.5, 0.5, 2.25, 1, 0.75, 1.25, 0.5, 2, 1, 1.5];
const input = { y, x: x.map((v) => [1, v]), names: ['(Intercept)', 'x'], weights };
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.abs(b) + 1e-10);

describe('logit with non-integer weights', () => {
  it('reports the HC0 sandwich by default, with both warnings', () => {
    const f = fitLogit(input);
    close(f.coef[0], -0.570066811332);
    close(f.coef[1], 0.567639044342);
    close(f.se[0], 0.683278970775);
    close(f.se[1], 0.827132665657);
    expect(f.varianceType).toBe('HC0');
    expect(f.warnings.some((w) => /non-integer #successes/.test(w))).toBe(true);
    expect(f.warnings.some((w) => /robust/.test(w))).toBe(true);
  });
  it('the model-based variance on request', () => {
    const f = fitLogit({ ...input, vcov: 'classical' });
    close(f.se[0], 0.6236070674);
    close(f.se[1], 0.6315305137);
  });
});
