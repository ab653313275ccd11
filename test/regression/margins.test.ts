// Predictive margins with delta-method SEs (src/regression/margins) against the same quantities
// computed in R from glm's coefficients and vcov (marginaleffects' avg_predictions definition).
// R 4.2:
//   d <- mtcars; d$cyl <- factor(d$cyl); g <- glm(am ~ wt + cyl, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100)); V <- vcov(g)
//   for (lv in c("4", "6", "8")) { nd <- d; nd$cyl <- factor(lv, levels = levels(d$cyl))
//     X <- model.matrix(~ wt + cyl, nd); p <- plogis(X %*% coef(g))
//     gr <- colMeans(as.vector(p * (1 - p)) * X); c(mean(p), sqrt(t(gr) %*% V %*% gr)) }
//   # 4: 0.28254530646992 0.0505579267273588; 6: 0.402160402770609 0.0600588042116813; 8: 0.535619227742263 0.0716491598427307
//   (glm's default epsilon 1e-8 stops early enough to move the SEs in the 7th digit)
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { logit } from '../../src/regression/table';
import { margins } from '../../src/regression/margins';
import { WT, AM } from './mtcars';

const CYL = [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6, 8, 4];

describe('margins (avg_predictions)', () => {
  const fit = logit(aq.table({ am: AM, wt: WT, cyl: CYL.map(String) }), { formula: 'am ~ wt + cyl', factors: ['cyl'] });
  const rows = margins(fit, { over: 'cyl' });
  const R: Record<string, [number, number]> = { 4: [0.28254530646992, 0.0505579267273588], 6: [0.402160402770609, 0.0600588042116813], 8: [0.535619227742263, 0.0716491598427307] };
  it('average predicted probability at each level and its delta-method SE', () => {
    for (const lv of ['4', '6', '8']) {
      const r = rows.find((x) => x.type === 'margin' && x['at.cyl'] === lv)!;
      expect(r.estimate as number).toBeCloseTo(R[lv][0], 9);
      expect(r['std.error'] as number).toBeCloseTo(R[lv][1], 9);
    }
  });
  it('contrasts are differences of margins', () => {
    const c = rows.filter((x) => x.type === 'contrast');
    expect(c.map((x) => x.contrast)).toEqual(['6 - 4', '8 - 4']);
    expect(c[1].estimate as number).toBeCloseTo(R[8][0] - R[4][0], 9);
    expect(c[0].estimate as number).toBeCloseTo(R[6][0] - R[4][0], 9);
  });
});

describe('margins by a subgroup (coded by core/groups)', () => {
  // heavy = wt > 3.2 (logical): subgroups are labelled FALSE / TRUE, sorted as R's factor(), and each
  // subgroup margin is the mean over that subgroup's rows of plogis(x'b) with cyl set to the level.
  const heavy = WT.map((w) => w > 3.2);
  const fit = logit(aq.table({ am: AM, wt: WT, cyl: CYL.map(String), heavy }), { formula: 'am ~ wt + cyl', factors: ['cyl'] });
  const rows = margins(fit, { over: 'cyl', by: 'heavy' });
  const b = Object.fromEntries(fit.names.map((nm, j) => [nm, fit.coef[j]]));
  const direct = (lv: string, h: boolean) => {
    const idx = WT.map((_, i) => i).filter((i) => heavy[i] === h);
    const eta = (i: number) => b['(Intercept)'] + b.wt * WT[i] + (lv === '4' ? 0 : b[`cyl${lv}`]);
    return idx.reduce((s, i) => s + 1 / (1 + Math.exp(-eta(i))), 0) / idx.length;
  };
  it('lists subgroups in sorted order with R\'s logical labels and the direct subgroup means', () => {
    const m = rows.filter((x) => x.type === 'margin');
    expect([...new Set(m.map((x) => x.by))]).toEqual(['FALSE', 'TRUE']);
    for (const r of m) expect(r.estimate as number).toBeCloseTo(direct(r['at.cyl'] as string, r.by === 'TRUE'), 12);
    const d = rows.filter((x) => x.type === 'contrast_diff');
    expect(d.every((x) => x.by === 'TRUE - FALSE')).toBe(true);
  });
});
