// Group-specific coefficients of a mixed model, as lme4's coef(fit)$g: fixed effect + BLUP.
import type { LmmFit } from './lmm';

/**
 * Per-group coefficient of `term` (e.g. the FSM gap in each LA) from a random-slope fit: the fixed
 * effect `fixedName` (default `term`) plus the group's predicted random effect (BLUP) of `term`
 * (ranef level '<group> <term>'). Output: rows { group, estimate, fixed, ranef }, groups in the
 * fit's level order. Source: lme4's coef.merMod. Failure: throws when the fit has no random
 * effect for `term` or no fixed effect `fixedName`.
 */
export function coefByGroup(fit: Pick<LmmFit, 'names' | 'coef' | 'ranef'>, term: string, fixedName = term): { group: string; estimate: number; fixed: number; ranef: number }[] {
  const re = fit.ranef.find((r) => r.level.endsWith(` ${term}`));
  if (!re) throw new Error(`coefByGroup: no random effect for '${term}' (random terms: ${fit.ranef.map((r) => r.level).join(', ')})`);
  const j = fit.names.indexOf(fixedName);
  if (j < 0) throw new Error(`coefByGroup: no fixed effect '${fixedName}' (coefficients: ${fit.names.join(', ')})`);
  const fixed = fit.coef[j];
  return re.ids.map((g, i) => ({ group: String(g), estimate: fixed + re.values[i], fixed, ranef: re.values[i] }));
}
