// Parameter recovery on simulated data with known truth, brute-force checks of HC2/HC3 and of
// the LMM likelihood (dense multivariate normal), separation and collinearity handling, margins.
import * as aq from 'arquero';
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { fitGlance, fitLmm, fitLogit, fitOls, lmm, lmmRandomRows, logit, lrTest, margins, ols, stages, addTerms, makeSpec } from '../../src/index';
import { getFitContext } from '../../src/regression/index';

/** Simulated attainment data: csc_group (none/CIN/CPP/CLA) × fsm, sex, idaci, LA clusters. */
function simulate(seed: number, n: number) {
  const rng = createRng(seed);
  const groups = ['none', 'CIN', 'CPP', 'CLA'];
  const truth = { intercept: 50, CIN: -6, CPP: -9, CLA: -12, fsm: -4, sexM: -2, idaci: -1.5, 'CIN:fsm': 1, 'CPP:fsm': 2, 'CLA:fsm': 3, sdLa: 2, sdSchool: 3, sdE: 8 };
  const nLa = 40; const schoolsPerLa = 10;
  const laEff = Array.from({ length: nLa }, () => truth.sdLa * rng.nextNormal());
  const schEff = Array.from({ length: nLa * schoolsPerLa }, () => truth.sdSchool * rng.nextNormal());
  const cols: Record<string, unknown[]> = { att8: [], csc_group: [], fsm: [], sex: [], idaci: [], la: [], school: [], passed: [] };
  for (let i = 0; i < n; i++) {
    const la = rng.nextInt(nLa); const school = la * schoolsPerLa + rng.nextInt(schoolsPerLa);
    const u = rng.nextFloat();
    const g = u < 0.7 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : 3;
    const fsm = rng.nextFloat() < 0.25 + 0.1 * g;
    const male = rng.nextFloat() < 0.5;
    const idaci = rng.nextNormal();
    const gName = groups[g];
    let mu = truth.intercept + truth.fsm * +fsm + truth.sexM * +male + truth.idaci * idaci;
    if (g > 0) mu += (truth as any)[gName] + (fsm ? (truth as any)[`${gName}:fsm`] : 0);
    const y = mu + laEff[la] + schEff[school] + truth.sdE * rng.nextNormal();
    cols.att8.push(y); cols.csc_group.push(gName); cols.fsm.push(fsm); cols.sex.push(male ? 'M' : 'F');
    cols.idaci.push(idaci); cols.la.push(`LA${la}`); cols.school.push(school);
    const eta = -0.5 + 0.08 * (mu - 45);
    cols.passed.push(rng.nextFloat() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  return { table: aq.table(cols), truth };
}

const { table, truth } = simulate(20261127, 12000);
const formula = 'att8 ~ csc_group * fsm + sex + idaci';
const refs = { reference: { csc_group: 'none' } };
const trueByName: Record<string, number> = {
  '(Intercept)': truth.intercept, csc_groupCIN: truth.CIN, csc_groupCLA: truth.CLA, csc_groupCPP: truth.CPP, fsmTRUE: truth.fsm, sexM: truth.sexM,
  idaci: truth.idaci, 'csc_groupCIN:fsmTRUE': truth['CIN:fsm'], 'csc_groupCLA:fsmTRUE': truth['CLA:fsm'], 'csc_groupCPP:fsmTRUE': truth['CPP:fsm'],
};

describe('parameter recovery (simulated attainment data with known effects)', () => {
  it('OLS with cluster-robust SEs: every true effect lies in its 99% CI', () => {
    const fit = ols(table, { formula, ...refs }, { vcov: 'cluster', cluster: 'la', level: 0.99 });
    expect(fit.names.slice().sort()).toEqual(Object.keys(trueByName).sort());
    fit.names.forEach((nm, j) => {
      expect(fit.ciLow[j], nm).toBeLessThan(trueByName[nm]);
      expect(fit.ciHigh[j], nm).toBeGreaterThan(trueByName[nm]);
    });
    // Clustering on LA with LA effects present inflates the intercept's SE over classical.
    const classical = ols(table, { formula, ...refs });
    expect(fit.se[0]).toBeGreaterThan(classical.se[0]);
  });
  it('two-level LMM (school within LA): fixed effects in 99% CIs, variance components near truth', () => {
    const fit = lmm(table, { formula: `${formula} + (1 | la/school)`, ...refs }, { reml: true, level: 0.99 });
    expect(fit.nGroups).toEqual([40, 400]);
    fit.names.forEach((nm, j) => {
      expect(fit.ciLow[j], nm).toBeLessThan(trueByName[nm]);
      expect(fit.ciHigh[j], nm).toBeGreaterThan(trueByName[nm]);
    });
    const [la, school, resid] = fit.varianceComponents;
    expect(la.group).toBe('la'); expect(school.group).toBe('school');
    expect(resid.sd).toBeGreaterThan(truth.sdE * 0.97); expect(resid.sd).toBeLessThan(truth.sdE * 1.03);
    expect(school.sd).toBeGreaterThan(truth.sdSchool * 0.8); expect(school.sd).toBeLessThan(truth.sdSchool * 1.2);
    expect(la.sd).toBeGreaterThan(truth.sdLa * 0.5); expect(la.sd).toBeLessThan(truth.sdLa * 1.5);
    expect(fit.icc.la).toBeCloseTo(la.variance / (la.variance + school.variance + resid.variance), 12);
    const g = fitGlance(fit);
    expect(g['var.school']).toBe(school.variance);
    expect(g['n.groups.school']).toBe(400);
    expect(lmmRandomRows(fit).map((r) => [r.group, r.estimate])).toEqual([['la', la.sd], ['school', school.sd], ['Residual', resid.sd]]);
    // The spec travels with the fit, random part included.
    expect(fit.spec.formula).toBe(`${formula} + (1 | la/school)`);
  });
  it('logit: recovers the direction of effects and agrees with its own LR test machinery', () => {
    const m1 = logit(table, { formula: 'passed ~ csc_group', ...refs });
    const m2 = logit(table, { formula: 'passed ~ csc_group + fsm + sex + idaci', ...refs }, { vcov: 'cluster', cluster: 'la' });
    expect(m2.converged).toBe(true);
    const j = m2.names.indexOf('csc_groupCLA');
    expect(m2.coef[j]).toBeLessThan(0);
    expect(m2.coef[m2.names.indexOf('idaci')]).toBeLessThan(0);
    const lr = lrTest([m1, m2]);
    expect(lr[1]['df.diff']).toBe(3);
    expect(lr[1].statistic).toBeCloseTo(2 * (m2.logLik - m1.logLik), 10);
  });
});

describe('brute-force checks', () => {
  const rng = createRng(11);
  const n = 60; const p = 3;
  const X: number[][] = []; const y: number[] = []; const cl: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = rng.nextNormal(); const x2 = rng.nextFloat() * 3;
    X.push([1, x1, x2]);
    y.push(1 + 0.5 * x1 - x2 + (0.5 + Math.abs(x1)) * rng.nextNormal());
    cl.push(i % 7);
  }
  it('HC0, HC2 and HC3 equal the textbook formulas computed with ml-matrix', () => {
    const Xm = new Matrix(X); const B = inverse(Xm.transpose().mmul(Xm));
    const beta = B.mmul(Xm.transpose()).mmul(Matrix.columnVector(y));
    const e = y.map((v, i) => v - Xm.getRow(i).reduce((s, x, j) => s + x * beta.get(j, 0), 0));
    const H = Xm.mmul(B).mmul(Xm.transpose());
    for (const [type, adj] of [['HC0', (i: number) => e[i] ** 2], ['HC2', (i: number) => e[i] ** 2 / (1 - H.get(i, i))], ['HC3', (i: number) => e[i] ** 2 / (1 - H.get(i, i)) ** 2]] as const) {
      const meat = Matrix.zeros(p, p);
      for (let i = 0; i < n; i++) { const xi = Matrix.columnVector(X[i]); meat.add(xi.mmul(xi.transpose()).mul(adj(i))); }
      const V = B.mmul(meat).mmul(B);
      const fit = fitOls({ y, x: X, vcov: type });
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) expect(fit.vcov[a][b]).toBeCloseTo(V.get(a, b), 12);
    }
  });
  it('cluster vcov = G/(G−1)·(n−1)/(n−k)·B (Σ u_g u_gᵀ) B, by brute force', () => {
    const fit = fitOls({ y, x: X, vcov: 'cluster', cluster: cl });
    const Xm = new Matrix(X); const B = inverse(Xm.transpose().mmul(Xm));
    const meat = Matrix.zeros(p, p);
    for (let g = 0; g < 7; g++) {
      const u = Matrix.zeros(p, 1);
      for (let i = 0; i < n; i++) if (cl[i] === g) u.add(Matrix.columnVector(X[i]).mul(fit.residuals[i]));
      meat.add(u.mmul(u.transpose()));
    }
    const V = B.mmul(meat).mmul(B).mul((7 / 6) * ((n - 1) / (n - p)));
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) expect(fit.vcov[a][b]).toBeCloseTo(V.get(a, b), 12);
    // Wald F with cluster vcov: b'V⁻¹b/q on the slopes, df2 = G − 1.
    const Vs = new Matrix([[V.get(1, 1), V.get(1, 2)], [V.get(2, 1), V.get(2, 2)]]);
    const bs = Matrix.columnVector([fit.coef[1], fit.coef[2]]);
    expect(fit.fWald!.value).toBeCloseTo(bs.transpose().mmul(inverse(Vs)).mmul(bs).get(0, 0) / 2, 8);
    expect(fit.fWald!.df2).toBe(6);
  });
  it('weighted OLS equals OLS on √w-scaled rows (coefficients) and R’s weighted logLik formula', () => {
    const w = y.map((_, i) => 0.5 + (i % 4));
    const fit = fitOls({ y, x: X, weights: w });
    const Xs = X.map((r, i) => r.map((v) => v * Math.sqrt(w[i])));
    const ys = y.map((v, i) => v * Math.sqrt(w[i]));
    const ref = fitOls({ y: ys, x: Xs });
    fit.coef.forEach((b, j) => expect(b).toBeCloseTo(ref.coef[j], 12));
    const rss = y.reduce((s, v, i) => s + w[i] * fit.residuals[i] ** 2, 0);
    const ll = 0.5 * (w.reduce((s, v) => s + Math.log(v), 0) - n * (Math.log(2 * Math.PI) + 1 - Math.log(n) + Math.log(rss)));
    expect(fit.logLik).toBeCloseTo(ll, 10);
  });
  it('LMM (two nested levels): −2 logLik equals the dense multivariate-normal (restricted) likelihood, and θ̂ is a minimum', () => {
    const r2 = createRng(5);
    const m = 80; const Xl: number[][] = []; const yl: number[] = []; const outer: number[] = []; const inner: number[] = [];
    const uo = [0.8, -0.5, 0.3, -0.9, 0.6]; const ui = Array.from({ length: 15 }, () => 0.7 * r2.nextNormal());
    for (let i = 0; i < m; i++) {
      const s = r2.nextInt(15); const o = Math.floor(s / 3); const x = r2.nextNormal();
      Xl.push([1, x]); yl.push(1 + 0.5 * x + uo[o] + ui[s] + r2.nextNormal()); outer.push(o); inner.push(s);
    }
    const logdet = (A0: Matrix) => {
      const A = A0.clone().add(A0.transpose()).div(2);
      const L = new CholeskyDecomposition(A).lowerTriangularMatrix;
      let s = 0; for (let i = 0; i < A.rows; i++) s += 2 * Math.log(L.get(i, i));
      return s;
    };
    const Xm = new Matrix(Xl);
    // Dense −2 log-likelihood (restricted under REML) at given variance components, β at its GLS value.
    const denseDev = (vo: number, vi: number, ve: number, reml: boolean) => {
      const V = Matrix.zeros(m, m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        V.set(i, j, (outer[i] === outer[j] ? vo : 0) + (inner[i] === inner[j] ? vi : 0) + (i === j ? ve : 0));
      }
      const Vi = inverse(V);
      const XtViX = Xm.transpose().mmul(Vi).mmul(Xm);
      const beta = inverse(XtViX).mmul(Xm.transpose()).mmul(Vi).mmul(Matrix.columnVector(yl));
      const r = Matrix.columnVector(yl).sub(Xm.mmul(beta));
      let dev = logdet(V) + r.transpose().mmul(Vi).mmul(r).get(0, 0) + m * Math.log(2 * Math.PI);
      if (reml) dev += logdet(XtViX) - 2 * Math.log(2 * Math.PI);
      return { dev, beta, vb: inverse(XtViX) };
    };
    for (const reml of [false, true]) {
      const fit = fitLmm({ y: yl, x: Xl, groups: [outer, inner], reml });
      expect(fit.converged).toBe(true);
      const [vo, vi, ve] = fit.varianceComponents.map((c) => c.variance);
      expect(vo).toBeGreaterThan(0); expect(vi).toBeGreaterThan(0); // interior optimum: perturbations are informative
      const at = denseDev(vo, vi, ve, reml);
      expect(-2 * fit.logLik).toBeCloseTo(at.dev, 7);
      fit.coef.forEach((b, j) => expect(b).toBeCloseTo(at.beta.get(j, 0), 8));
      fit.vcov.forEach((row, a) => row.forEach((v, b) => expect(v).toBeCloseTo(at.vb.get(a, b), 9)));
      // The estimate is a minimum: moving any variance component raises the deviance.
      for (const [a, b, c] of [[1.1, 1, 1], [0.9, 1, 1], [1, 1.1, 1], [1, 0.9, 1], [1, 1, 1.05], [1, 1, 0.95]]) {
        expect(denseDev(vo * a, vi * b, ve * c, reml).dev).toBeGreaterThan(at.dev);
      }
    }
  });
});

describe('edge cases', () => {
  it('separation: a warning names the diverging coefficient', () => {
    const rng = createRng(3);
    const x: number[][] = []; const y: number[] = [];
    for (let i = 0; i < 200; i++) { const g = i % 2; const z = rng.nextNormal(); x.push([1, g, z]); y.push(g === 1 ? 1 : (rng.nextFloat() < 0.4 ? 1 : 0)); }
    const fit = fitLogit({ y, x, names: ['(Intercept)', 'treated', 'z'] });
    expect(fit.separation).toBe(true);
    expect(fit.warnings.join(' ')).toMatch(/separation/);
    expect(fit.warnings.join(' ')).toMatch(/treated/);
    // The non-separated fit raises no separation flag.
    const ok = fitLogit({ y: y.map((v, i) => (i % 10 === 1 ? 0 : v)), x });
    expect(ok.separation).toBe(false);
  });
  it('collinear column in fitOls: reported as aliased, others unchanged (R: NA coefficient)', () => {
    const rng = createRng(4);
    const x: number[][] = []; const y: number[] = [];
    for (let i = 0; i < 100; i++) { const a = rng.nextNormal(); const b = rng.nextNormal(); x.push([1, a, a + 2 * b, b]); y.push(a - b + rng.nextNormal()); }
    const fit = fitOls({ y, x, names: ['(Intercept)', 'a', 'c', 'b'] });
    expect(fit.aliased).toEqual(['b']);
    expect(fit.names).toEqual(['(Intercept)', 'a', 'c']);
    expect(fit.summary().map((r) => r.term)).toEqual(['(Intercept)', 'a', 'c', 'b']);
    expect(fit.summary()[3].estimate).toBeNull();
    const lg = fitLogit({ y: y.map((v) => (v > 0 ? 1 : 0)), x, names: ['(Intercept)', 'a', 'c', 'b'] });
    expect(lg.aliased).toEqual(['b']);
  });
  it('bad input: clear errors', () => {
    expect(() => fitOls({ y: [1, 2], x: [[1], [1], [1]] })).toThrow(/y: has length 2, expected 3/);
    expect(() => fitOls({ y: [1, NaN, 3], x: [[1], [1], [1]] })).toThrow(/y: row 2 is not a finite number/);
    expect(() => fitLogit({ y: [0, 2, 1], x: [[1], [1], [1]] })).toThrow(/row 2 is 2; a logit outcome must be 0 or 1/);
    expect(() => fitOls({ y: [1, 2, 3], x: [[1], [1], [1]], vcov: 'cluster' })).toThrow(/needs `cluster` ids/);
    expect(() => fitLmm({ y: [1, 2, 3], x: [[1], [1], [1]], groups: [1, null, 2] })).toThrow('fitLmm: groups (group) is missing at row 2');
  });
});

describe('stages and margins', () => {
  const s1 = makeSpec('att8 ~ csc_group', { ...refs, label: 'raw' });
  const s2 = addTerms(s1, ['fsm', 'sex', 'idaci'], '+ child & SES');
  it('stages: side-by-side table, constant N, key changes equal coefficient differences, nested F', () => {
    const st = stages([s1, s2], table, { key: 'csc_group', vcov: 'cluster', cluster: 'la' });
    expect(st.labels).toEqual(['raw', '+ child & SES']);
    expect(st.fits[0].n).toBe(st.fits[1].n);
    const cla = st.keyChanges.filter((r) => r.term === 'csc_groupCLA');
    expect(cla).toHaveLength(2);
    const b0 = st.fits[0].coef[st.fits[0].names.indexOf('csc_groupCLA')];
    const b1 = st.fits[1].coef[st.fits[1].names.indexOf('csc_groupCLA')];
    expect(cla[1]['change.prev']).toBeCloseTo(b1 - b0, 12);
    expect(st.wide.find((r) => r.term === 'N')).toEqual({ term: 'N', raw: st.fits[0].n.toLocaleString('en-GB'), '+ child & SES': st.fits[1].n.toLocaleString('en-GB') });
    expect(st.tests[0].df).toBe(3);
  });
  it('OLS margins without interactions: factor contrasts equal the coefficients, SEs equal', () => {
    const fit = ols(table, s2, { vcov: 'HC1' });
    const rows = margins(fit, { over: 'csc_group' });
    const c = rows.find((r) => r.type === 'contrast' && r.contrast === 'CLA - none')!;
    const j = fit.names.indexOf('csc_groupCLA');
    expect(c.estimate as number).toBeCloseTo(fit.coef[j], 10);
    expect(c['std.error'] as number).toBeCloseTo(fit.se[j], 10);
  });
  it('logit margins: observed margin = mean fitted probability; contrast = difference of counterfactual means by hand', () => {
    const fit = logit(table, { formula: 'passed ~ csc_group * fsm + idaci', ...refs });
    const obs = margins(fit)[0];
    const meanFitted = fit.fitted.reduce((s, v) => s + v, 0) / fit.n;
    expect(obs.estimate as number).toBeCloseTo(meanFitted, 12);
    const rows = margins(fit, { over: 'csc_group', by: 'fsm' });
    // By hand: within fsm = TRUE rows, set csc_group = CLA vs none.
    const b = (nm: string) => fit.coef[fit.names.indexOf(nm)] ?? 0;
    const fsm = table.array('fsm') as boolean[]; const idaci = table.array('idaci') as number[];
    let sCla = 0; let sNone = 0; let k = 0;
    for (let i = 0; i < table.numRows(); i++) if (fsm[i]) {
      const base = b('(Intercept)') + b('fsmTRUE') + b('idaci') * idaci[i];
      sNone += 1 / (1 + Math.exp(-base));
      sCla += 1 / (1 + Math.exp(-(base + b('csc_groupCLA') + b('csc_groupCLA:fsmTRUE'))));
      k++;
    }
    const c = rows.find((r) => r.type === 'contrast' && r.contrast === 'CLA - none' && r.by === 'TRUE')!;
    expect(c.estimate as number).toBeCloseTo((sCla - sNone) / k, 12);
    expect(c.n).toBe(k);
    const diff = rows.find((r) => r.type === 'contrast_diff' && r.contrast === 'CLA - none')!;
    const cF = rows.find((r) => r.type === 'contrast' && r.contrast === 'CLA - none' && r.by === 'FALSE')!;
    expect(diff.estimate as number).toBeCloseTo((c.estimate as number) - (cF.estimate as number), 12);
  });
  it('dydx of a linear term in OLS equals its coefficient', () => {
    const fit = ols(table, s2);
    const r = margins(fit, { dydx: ['idaci'] })[0];
    const j = fit.names.indexOf('idaci');
    expect(r.estimate as number).toBeCloseTo(fit.coef[j], 8);
    expect(r['std.error'] as number).toBeCloseTo(fit.se[j], 8);
  });
  it('a table fit keeps its design without the n × p matrix (memory at national size); margins rebuild it', () => {
    const fit = ols(table, s2, { vcov: 'cluster', cluster: 'la' });
    const ctx = getFitContext(fit)!;
    expect(ctx.design.n).toBe(fit.n);
    expect(ctx.design.y).toBeUndefined();
    expect(Object.keys(ctx.design.extra)).toEqual([]);
    expect(() => ctx.design.x).toThrow(/not kept/);
    const r = margins(fit, { dydx: ['idaci'] })[0];
    expect(r.estimate as number).toBeCloseTo(fit.coef[fit.names.indexOf('idaci')], 8);
  });
});
