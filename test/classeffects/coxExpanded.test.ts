/**
 * coxClassExpanded: cox.zph and survfit on the class-expanded, BCH-weighted Cox fit, against R on a
 * small data set (test/fixtures/cox_class_zph/make.R computes the BCH weights itself and fits
 *   coxph(Surv(time, event) ~ class + z + strata(s), data = expanded, weights = w, cluster = child, ties = "breslow")
 * then cox.zph(fit), cox.zph(fit, transform = "identity", terms = FALSE) and
 * survfit(fit, newdata = data.frame(class = "2", z = 0.5)).
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { coxZph, survivalCurve } from '../../src/survival/index';
import { coxClassExpanded, fitCoxClassEffects, type CoxClassEffectsInput } from '../../src/classeffects/index';

const dir = path.join(__dirname, '../fixtures/cox_class_zph');
const rows = fs.readFileSync(path.join(dir, 'data.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const ref = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const col = (j: number) => rows.map((r) => r[j].replace(/"/g, ''));
const num = (j: number) => Float64Array.from(col(j), Number);
const n = rows.length;
const p1 = num(6), p2 = num(7), p3 = num(8);
const input: CoxClassEffectsInput = {
  time: num(3), event: num(4), x: { nrow: n, ncol: 1, data: num(5) }, names: ['z'], strata: col(2), cluster: col(1),
  posterior: { nrow: n, ncol: 3, data: Float64Array.from({ length: 3 * n }, (_, m) => [p1, p2, p3][m % 3][Math.floor(m / 3)]) },
  method: 'bch', ties: 'breslow',
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('coxClassExpanded (BCH class-effects Cox: zph and predicted survival as R on the expanded rows)', () => {
  const fit = fitCoxClassEffects(input);
  const ex = coxClassExpanded(fit, input);
  it('is the fit R gets: coefficients and robust and naive SEs', () => {
    expect(ref.min_weight).toBeLessThan(0);
    expect(fit.names).toEqual(ref.names);
    fit.coef.forEach((v, j) => expect(rel(v, ref.coef[j])).toBeLessThan(1e-6));
    fit.se.forEach((v, j) => expect(rel(v, ref.se[j])).toBeLessThan(1e-6));
    ex.coef.forEach((v, j) => expect(v).toBe(fit.coef[j]));
  });
  it('cox.zph (km, per term with the class term joint) and (identity, per coefficient) match R', () => {
    const z1 = coxZph(ex);
    expect(z1.table.map((r) => r.term)).toEqual(ref.zph_km.term);
    z1.table.forEach((r, i) => {
      expect(rel(r.chisq, ref.zph_km.chisq[i])).toBeLessThan(1e-6);
      expect(r.df).toBe(ref.zph_km.df[i]);
      expect(rel(r.p, ref.zph_km.p[i])).toBeLessThan(1e-6);
    });
    const z2 = coxZph(ex, { transform: 'identity', terms: false });
    expect(z2.table.map((r) => r.term)).toEqual(ref.zph_identity.term);
    z2.table.forEach((r, i) => expect(rel(r.chisq, ref.zph_identity.chisq[i])).toBeLessThan(1e-6));
    for (let m = 0; m < 5; m++) {
      expect(z2.x[m]).toBeCloseTo(ref.zph_identity_x[m], 12);
      for (let j = 0; j < 3; j++) expect(rel(z2.y[m * 3 + j], ref.zph_identity_y[m][j])).toBeLessThan(1e-6);
    }
  });
  it('predicted survival for class 2 at z = 0.5, per stratum, matches survfit', () => {
    for (const s of ['a', 'b']) {
      const idx = ref.survfit.strata.map((v: string, i: number) => (v === s ? i : -1)).filter((i: number) => i >= 0);
      const c = survivalCurve(ex, { class2: 1, class3: 0, z: 0.5 }, undefined, { stratum: s });
      expect(c.time.length).toBe(idx.length);
      idx.forEach((i: number, m: number) => {
        expect(c.time[m]).toBe(ref.survfit.time[i]);
        expect(Math.abs(c.surv[m] - ref.survfit.surv[i])).toBeLessThan(1e-8);
        expect(Math.abs(c.cumhaz[m] - ref.survfit.cumhaz[i])).toBeLessThan(1e-8);
      });
    }
  });
  it('refuses an input that is not the fit\'s', () => {
    expect(() => coxClassExpanded(fit, { ...input, method: 'modal' })).toThrow(/method/);
    expect(() => coxClassExpanded(fit, { ...input, time: Array.from(input.time).slice(1) })).toThrow(/units/);
  });
});
