// The CoxFit protocol built from a fitter's numbers: Wald/LR/score tests, CIs, tidy/glance, the
// term map. Inputs are chosen so each statistic can be written out by hand; R's formulas
// (summary.coxph): z = b/se, Wald = bᵀV⁻¹b, LR = 2(ℓ − ℓ₀), AIC = −2ℓ + 2p, BIC = −2ℓ + p·log(nevent).
import { describe, expect, it } from 'vitest';
import { buildCoxFit, coxTermMap, type CoxFitParts } from '../../src/survival/coxResult';

function parts(over: Partial<CoxFitParts> = {}): CoxFitParts {
  return {
    names: ['a', 'b'], ties: 'efron', beta: Float64Array.from([0.5, -0.2]),
    varNaive: Float64Array.from([0.04, 0.01, 0.01, 0.09]), vcov: Float64Array.from([0.04, 0.01, 0.01, 0.09]),
    robustSe: null, robustScoreTest: null, varianceType: 'model', logLik: -100, logLikNull: -110, scoreStat: 21,
    concordance: { concordant: 60, discordant: 40, tiedRisk: 0, tiedTime: 0, tiedBoth: 0, concordance: 0.6, stdErr: 0.05 } as never,
    n: 200, nEvent: 50, nCluster: null, converged: true, iterations: 4, warnings: [], means: Float64Array.from([0, 0]),
    linearPredictors: new Float64Array(0), terms: { a: ['a'], b: ['b'] }, strataLevels: null,
    spec: { ties: 'efron', eps: 1e-9, iterMax: 20, hasEntry: false, hasStrata: false, hasCluster: false, hasWeights: false, robust: false },
    ...over,
  };
}

describe('buildCoxFit', () => {
  it('computes z, p, CIs and the three tests from the numbers given', () => {
    const f = buildCoxFit(parts());
    expect(f.se[0]).toBeCloseTo(0.2, 14);
    expect(f.z[1]).toBeCloseTo(-0.2 / 0.3, 14);
    expect(f.p[0]).toBeCloseTo(0.01241933, 7); // 2·pnorm(-2.5)
    expect(f.ci.lower[0]).toBeCloseTo(Math.exp(0.5 - 1.959963984540054 * 0.2), 12);
    // Wald bᵀV⁻¹b with V = [[0.04, 0.01], [0.01, 0.09]].
    const det = 0.04 * 0.09 - 0.01 * 0.01;
    const wald = (0.5 * 0.5 * 0.09 - 2 * 0.5 * -0.2 * 0.01 + 0.04 * 0.04) / det;
    expect(f.waldTest.statistic).toBeCloseTo(wald, 10);
    expect(f.lrTest.statistic).toBe(20);
    expect(f.lrTest.p).toBeCloseTo(Math.exp(-10), 12); // chi-square(2) upper tail: exp(−x/2)
    expect(f.scoreTest.p).toBeCloseTo(Math.exp(-10.5), 12);
    expect(Object.isFrozen(f)).toBe(true);
  });

  it('tidy() has one row per coefficient and glance() one row of fit statistics with R\'s AIC and BIC', () => {
    const f = buildCoxFit(parts({ robustSe: [0.25, 0.35], vcov: Float64Array.from([0.0625, 0, 0, 0.1225]), varianceType: 'robust', robustScoreTest: { statistic: 3, df: 2, p: 0.2231 } }));
    const t = f.tidy();
    expect(t.map((r) => r.term)).toEqual(['a', 'b']);
    expect(t[0]['std.error']).toBeCloseTo(0.25, 14);
    expect(t[0]['naive.se']).toBeCloseTo(0.2, 14);
    expect(t[1]['robust.se']).toBe(0.35);
    const g = f.glance();
    expect(g.AIC).toBe(204);
    expect(g.BIC).toBeCloseTo(200 + 2 * Math.log(50), 12);
    expect(g['statistic.robust']).toBe(3);
    expect(g['variance.type']).toBe('robust');
    expect(g.nevent).toBe(50);
  });

  it('a NaN standard error gives NaN statistics, not a confident p', () => {
    const f = buildCoxFit(parts({ vcov: Float64Array.from([NaN, NaN, NaN, NaN]) }));
    expect(Number.isNaN(f.p[0])).toBe(true);
    expect(Number.isNaN(f.waldTest.p)).toBe(true);
  });
});

describe('buildCoxFit degenerate variances', () => {
  // A variance of 0 (e.g. a class-copy fit whose robust D′D vanishes) used to give SE 0,
  // z = ±Infinity, p = 0 and a CI of zero width; a negative one an SE of NaN with no warning.
  it('a zero robust variance gives NaN SE, z, p and CI with a warning naming the term', () => {
    const f = buildCoxFit(parts({ vcov: Float64Array.from([0, 0, 0, 0.09]), varianceType: 'robust', robustSe: [0, 0.3] }));
    expect(f.se[0]).toBeNaN();
    expect(f.z[0]).toBeNaN();
    expect(f.p[0]).toBeNaN();
    expect(f.ci.lower[0]).toBeNaN();
    expect(f.ci.upper[0]).toBeNaN();
    expect(f.robustSe![0]).toBeNaN();
    expect(f.tidy()[0]['conf.low']).toBeNaN();
    expect(f.waldTest.p).toBeNaN();
    // the other term keeps its numbers, and the naive SE is still reported
    expect(f.se[1]).toBeCloseTo(0.3, 14);
    expect(f.seNaive[0]).toBeCloseTo(0.2, 14);
    expect(f.warnings).toEqual(['coxph: variance is zero, negative or not finite for a; standard errors and tests are NaN']);
  });
  it('a negative model-based variance is named too', () => {
    const f = buildCoxFit(parts({ varNaive: Float64Array.from([0.04, 0, 0, -0.01]), vcov: Float64Array.from([0.04, 0, 0, -0.01]) }));
    expect(f.se[1]).toBeNaN();
    expect(f.p[1]).toBeNaN();
    expect(f.warnings.some((w) => /coxph: variance is zero, negative or not finite for b/.test(w))).toBe(true);
  });
});

describe('coxTermMap', () => {
  it('groups listed columns into terms at the place of their first column', () => {
    const m = coxTermMap(['x', 'f2', 'f3', 'z'], { f: ['f2', 'f3'] }, 'fitCox');
    expect(Object.keys(m)).toEqual(['x', 'f', 'z']);
    expect(m.f).toEqual(['f2', 'f3']);
  });
  it('rejects a term naming an unknown column or a column in two terms', () => {
    expect(() => coxTermMap(['x'], { f: ['y'] }, 'fitCox')).toThrow(/terms.f names column 'y'/);
    expect(() => coxTermMap(['x', 'y'], { f: ['x'], g: ['x', 'y'] }, 'fitCox')).toThrow(/column 'x' appears in more than one term/);
  });
});
