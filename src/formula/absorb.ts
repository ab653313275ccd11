// Formula syntax for absorbed fixed effects (fixest's `y ~ x | fe`); the fitting is in regression/absorb.ts.

/**
 * fixest's `y ~ x | fe`: the part after a '|' outside parentheses names fixed effects to absorb
 * (so `(1 | g)` random terms are left alone). Output: the formula without it, and the columns.
 */
export function splitAbsorb(formula: string): { formula: string; absorb: string[] } {
  let depth = 0;
  for (let i = 0; i < formula.length; i++) {
    const c = formula[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      const absorb = formula.slice(i + 1).split(/[+^]/).map((t) => t.trim()).filter((t) => t.length > 0);
      if (!absorb.length) throw new Error(`formula '${formula}': nothing to absorb after '|'`);
      return { formula: formula.slice(0, i).trim(), absorb };
    }
  }
  return { formula, absorb: [] };
}
