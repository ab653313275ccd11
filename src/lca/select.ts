/**
 * Choosing K from fits over a range of K by an information criterion, refusing fits that cannot
 * support the choice: a fit whose EM did not converge is flagged and excluded (its criterion is
 * not at a maximum), and a fit whose best log-likelihood was reached by fewer than `minReplicated`
 * of its starts is flagged (it may be a local maximum) and, by default, excluded too. Every
 * exclusion is a warning naming K, so an unconverged fit is never chosen silently.
 */
import type { LcaFit } from './fit/types';

export interface LcaSelectOptions {
  /** 'bic' (default), 'aic', 'sabic' or 'caic' */
  criterion?: 'bic' | 'aic' | 'sabic' | 'caic';
  /** starts that must reach the best log-likelihood (default 2) */
  minReplicated?: number;
  /** exclude fits below minReplicated from the choice (default true); false only flags them */
  requireReplicated?: boolean;
}

export interface LcaSelection {
  /** the chosen fit, or null when no fit is eligible */
  chosen: LcaFit | null;
  /** one row per fit: K, criterion, converged, iterations, replicated "c of t", eligible, why not */
  table: Array<Record<string, number | string>>;
  warnings: string[];
}

/**
 * Chooses K among fits of the same data by an information criterion (default BIC, lowest wins),
 * excluding fits whose EM did not converge or whose best log-likelihood was reached by fewer than
 * `minReplicated` starts (Nylund, Asparouhov & Muthén 2007 on replicating the best likelihood).
 * Output: the chosen fit (null when none is eligible), one table row per fit with the reason for
 * any exclusion, and warnings naming each excluded K.
 */
export function lcaSelectK(fits: readonly LcaFit[], options: LcaSelectOptions = {}): LcaSelection {
  const crit = options.criterion ?? 'bic';
  const minRep = options.minReplicated ?? 2;
  const requireRep = options.requireReplicated ?? true;
  const warnings: string[] = [];
  let chosen: LcaFit | null = null;
  const table = fits.map((f) => {
    const reasons: string[] = [];
    if (!f.converged) reasons.push('EM not converged');
    const rep = f.bestLogLikReplicated;
    const replicated = rep.count >= minRep;
    if (!replicated) reasons.push(`best log-likelihood reached by ${rep.count} of ${rep.total} starts`);
    const eligible = f.converged && (replicated || !requireRep);
    if (!eligible) warnings.push(`K = ${f.nClasses} excluded from the ${crit.toUpperCase()} choice: ${reasons.join('; ')}`);
    else if (!replicated) warnings.push(`K = ${f.nClasses}: ${reasons.join('; ')} (kept: requireReplicated is false)`);
    if (eligible && (chosen === null || f[crit] < chosen[crit])) chosen = f;
    return {
      classes: f.nClasses, [crit]: f[crit], logLik: f.logLik, converged: f.converged ? 'yes' : 'NO',
      iterations: f.iterations, replicated: `${rep.count} of ${rep.total}`, eligible: eligible ? 'yes' : 'NO',
      note: reasons.join('; '),
    };
  });
  if (chosen === null) warnings.push(`no fit is eligible for the ${crit.toUpperCase()} choice (see the table); use more starts or iterations`);
  return { chosen, table, warnings };
}
