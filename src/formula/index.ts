/**
 * Model-specification layer, shared by regression, survival and LCA.
 *
 * The single canonical form is a **formula string** inside a plain-data `ModelSpec`:
 *   { formula: 'att8 ~ csc_group * fsm + sex + log(idaci + 1)',
 *     levels: { ethnicity: ['White', 'Asian', ...] }, reference: { csc_group: 'none' },
 *     factors: ['idaci_decile'] }
 * A bare formula string, or the minimal covariate form `{ covariates: [...], factors: { name: reference } }`
 * (converted by `toModelSpec` to a formula), are accepted wherever a spec is.
 *
 * Formula support: `+`, `-` (remove a term), `:`, `*`, `(a + b)^2`, `-1`/`+0`/`0 +` (no intercept),
 * `log()`, `log2/log10/log1p/exp/sqrt/abs`, `I(<arithmetic>)`, raw polynomials `poly(x, d, raw = TRUE)`
 * (orthogonal polynomials are not supported: they are rejected with a message), `factor(x)`.
 * Specials `strata(...)`, `cluster(...)`, `offset(...)` are parsed but make no design columns; their
 * columns are checked for missing values and listed in `design.specials` (for coxph-style models).
 * A response such as `Surv(time, event)` is parsed but not evaluated (`design.y` is undefined); its
 * columns still drop rows with missing values. For Cox models use `buildDesign(t, spec,
 * { dropInterceptColumn: true })`: factors are coded as with an intercept (treatment contrasts, as
 * coxph does) and the '(Intercept)' column is left out. Special columns' kept-row values are in `design.extra`.
 *
 * Factors: string and boolean columns, columns named in `factors`/`levels`/`reference`, and `factor(x)`.
 * Level order: as listed in `levels`, otherwise sorted (numbers numerically, text by code point, FALSE
 * before TRUE); `reference` moves a level first. Treatment coding, R's `model.matrix` names and order.
 * Missing values (null, undefined, NaN, empty string) in any used column drop the row; counts per column
 * are in `design.dropped`. Collinear columns are dropped from `x` and listed in `design.collinear`.
 */
export { parseFormula, deparse, SPECIAL_FUNCTIONS } from './parse';
export type { Expr, FormulaVariable, ParsedFormula, SpecialKind } from './parse';
export * from './modelSpec';
export { buildDesign, columnValues } from './design';
export { splitAbsorb } from './absorb';
export { independentColumns } from './collinear';
export { rebuildDesign } from './rebuild';
export type { Design, DesignDropped, FactorInfo, BuildDesignOptions, TableLike } from './design';
