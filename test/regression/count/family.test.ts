// Count families of src/regression/count/family against R at a fixed mean. R 4.2, MASS 7.3, with
// y, x, pop, w as in ./data.ts and mu <- pop * exp(-1.7 + 1.3 * x):
//   sum(dpois(y, mu, log = TRUE))                          # -31.8834234376976
//   sum(poisson()$dev.resids(y, mu, 1))                    #  24.3854745840107
//   sum(dnbinom(y, size = 2.5, mu = mu, log = TRUE))       # -32.8598658440677
//   sum(w * dnbinom(y, size = 2.5, mu = mu, log = TRUE))   # -46.3052593131151
//   sum(negative.binomial(2.5)$dev.resids(y, mu, 1))       #  11.8117794232803
//   sum((y - mu)^2 / (mu + mu^2 / 2.5))                    #   7.88277919949736
//   theta.ml(y, mu, limit = 1000, eps = 1e-12)             #  19.0760333835195, SE 28.4248757138196
//   theta.ml(y, mu, weights = w, limit = 1000, eps = 1e-12)#  16.0571292455484, SE 18.7185129714374
import { describe, expect, it } from 'vitest';
import { countDeviance, countLogLik, pearsonChisq, thetaMl, workingWeight } from '../../../src/regression/count/family';
import { Y, W, muAt } from './data';

const mu = muAt(-1.7, 1.3);

describe('count families (dpois, dnbinom, dev.resids, theta.ml)', () => {
  it('Poisson log-likelihood and deviance', () => {
    expect(countLogLik(Y, mu, null, Infinity)).toBeCloseTo(-31.8834234376976, 11);
    expect(countDeviance(Y, mu, null, Infinity)).toBeCloseTo(24.3854745840107, 11);
  });
  it('negative binomial (NB2, theta 2.5) log-likelihood, weighted log-likelihood, deviance and Pearson chi-square', () => {
    expect(countLogLik(Y, mu, null, 2.5)).toBeCloseTo(-32.8598658440677, 11);
    expect(countLogLik(Y, mu, W, 2.5)).toBeCloseTo(-46.3052593131151, 11);
    expect(countDeviance(Y, mu, null, 2.5)).toBeCloseTo(11.8117794232803, 11);
    expect(pearsonChisq(Y, mu, null, 2.5)).toBeCloseTo(7.88277919949736, 11);
  });
  it('theta by ML at fixed mu, with its SE, as theta.ml', () => {
    const t = thetaMl(Y, mu, null, null);
    expect(t.theta).toBeCloseTo(19.0760333835195, 7);
    expect(1 / Math.sqrt(t.info)).toBeCloseTo(28.4248757138196, 6);
    expect(t.limitReached).toBe(false);
    const tw = thetaMl(Y, mu, W, null);
    expect(tw.theta).toBeCloseTo(16.0571292455484, 7);
    expect(1 / Math.sqrt(tw.info)).toBeCloseTo(18.7185129714374, 6);
  });
  it('working weight is mu / (1 + mu / theta), and mu for Poisson', () => {
    expect(workingWeight(4, Infinity)).toBe(4);
    expect(workingWeight(4, 2)).toBeCloseTo(4 / 3, 15);
  });
});
