/**
 * The class-effects Cox fit on its class-expanded rows, for the tools that read a Cox fit's data:
 * coxZph (R's cox.zph), baseHazard / survivalCurve (basehaz, survfit.coxph) and the residuals.
 * R has no three-step Cox; its equivalent is coxph on the expanded data (copy k of unit i with the
 * class-k dummies and BCH weight w_ik, `weights = w, cluster = unit`), and these functions then
 * give what cox.zph and survfit give on that fit. cox.zph uses the model-based information of the
 * weighted partial likelihood (the cluster changes only the coefficients' variance), so the test
 * treats the K copies of a unit as the weighted rows they are in the estimating equations.
 *
 * The expanded rows (n·K for BCH) are built here, not kept with every fit: a notebook holds its
 * fits for the session, and the rows of a national fit are GBs.
 */
import { setLazyCoxInternals, type CoxFit } from '../survival/cox';
import { prepareCox } from '../survival/coxPrepare';
import { labelCodes } from '../core/groups';
import { toDense } from '../core/matrix';
import { classDesign, classExpand } from './expand';
import type { CoxClassEffectsFit, CoxClassEffectsInput } from './cox';

/**
 * `fit` (from fitCoxClassEffects) joined to the expanded rows of `input` (the same input it was fitted
 * on), as a CoxFit that coxZph, baseHazard, survivalCurve, martingaleResiduals and scoreResiduals
 * accept; its coefficients, variance and tables are the fit's. The rows are written on first use.
 * Errors: throws when the input does not match the fit (units, classes or coefficient names).
 * Memory: the expanded rows (n·K × p doubles for BCH) live as long as the returned object.
 */
export function coxClassExpanded(fit: CoxClassEffectsFit, input: CoxClassEffectsInput): CoxFit {
  const n = input.time.length;
  const K = input.posterior.ncol;
  if (n !== fit.n) throw new Error(`coxClassExpanded: the input has ${n} units, the fit ${fit.n}`);
  if (input.method !== fit.method) throw new Error(`coxClassExpanded: the input's method is '${input.method}', the fit's '${fit.method}'`);
  if (fit.classTerms.length !== K - 1) throw new Error(`coxClassExpanded: the input has ${K} classes, the fit ${fit.classTerms.length + 1}`);
  const x = input.x ? toDense(input.x, 'coxClassExpanded: x', n) : null;
  if (fit.names.length !== K - 1 + (x ? x.ncol : 0)) throw new Error(`coxClassExpanded: the input gives ${K - 1 + (x ? x.ncol : 0)} coefficients, the fit ${fit.names.length}`);
  const p = fit.names.length;
  const beta = Float64Array.from(fit.coef);
  const varNaive = new Float64Array(p * p);
  fit.vcovNaive.forEach((row, a) => row.forEach((v, b) => { varNaive[a * p + b] = v; }));
  const out = Object.freeze({ ...fit }) as CoxFit;
  setLazyCoxInternals(out, () => {
    const ex = classExpand(input.posterior, input.method);
    const design = classDesign(ex, x, input.reference ?? 0);
    const m = ex.row.length;
    // Strata as the fit coded them (codes of the unit labels), so stratum order and names agree with fit.strataLevels.
    const strata = input.strata ? labelCodes(input.strata, n, 'coxClassExpanded: strata').codes : null;
    const { data } = prepareCox({
      time: Float64Array.from(ex.row, (i) => Number(input.time[i])), event: Float64Array.from(ex.row, (i) => Number(input.event[i])),
      entry: input.entry ? Float64Array.from(ex.row, (i) => Number(input.entry![i])) : undefined,
      x: { nrow: m, ncol: p, data: design.data }, names: fit.names.slice(),
      strata: strata ? Int32Array.from(ex.row, (i) => strata[i]) : undefined,
      weights: input.method === 'bch' ? ex.weight : undefined, signedWeights: input.method === 'bch',
      ties: fit.ties,
    });
    return { data, beta, varNaive };
  });
  return out;
}
