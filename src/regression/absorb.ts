/**
 * Absorbed fixed effects for least squares: the within transformation (Frisch–Waugh–Lovell), as
 * fixest::feols(y ~ x | g) and Stata's areg do, instead of expanding g into dummy columns.
 * With one fixed-effect factor a single pass of (weighted) group means is exact, so no
 * alternating projections are needed; more than one factor is not supported here.
 */
import { labelCodes } from '../core/groups';

export interface Absorbed {
  /** Demeaned design without the intercept column (n × p, row-major). */
  readonly x: Float64Array;
  readonly p: number;
  readonly names: string[];
  /** Demeaned response. */
  readonly y: Float64Array;
  /** Number of fixed-effect levels (groups with at least one row): the parameters absorbed. */
  readonly nLevels: number;
}

/**
 * Subtracts the (weighted) mean of each group from y and every column of x, dropping the
 * intercept column (the fixed effects contain it). Inputs: x (n × p row-major), names, y (n),
 * group ids (any labels; missing is an error naming the row), weights (> 0) or null.
 * Output: demeaned copies (the inputs are not modified). Cost O(n·p), one n × p allocation.
 * Columns constant within every group become exactly zero and are then aliased by the QR.
 */
export function absorbWithin(x: Float64Array, n: number, p: number, names: readonly string[], y: Float64Array,
  groups: ArrayLike<unknown>, w: Float64Array | null, who: string): Absorbed {
  const { codes, levels } = labelCodes(groups, n, `${who}: absorb`);
  const G = levels.length;
  const ic = names.indexOf('(Intercept)');
  const keep: number[] = [];
  for (let j = 0; j < p; j++) if (j !== ic) keep.push(j);
  const q = keep.length;
  const wsum = new Float64Array(G);
  const sums = new Float64Array(G * (q + 1));
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i];
    const g = codes[i];
    const o = g * (q + 1);
    const xo = i * p;
    wsum[g] += wi;
    sums[o] += wi * y[i];
    for (let k = 0; k < q; k++) sums[o + 1 + k] += wi * x[xo + keep[k]];
  }
  for (let g = 0; g < G; g++) {
    const o = g * (q + 1);
    for (let k = 0; k <= q; k++) sums[o + k] /= wsum[g];
  }
  const xt = new Float64Array(n * q);
  const yt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = codes[i] * (q + 1);
    const xo = i * p;
    const to = i * q;
    yt[i] = y[i] - sums[o];
    for (let k = 0; k < q; k++) {
      const v = x[xo + keep[k]] - sums[o + 1 + k];
      // Exact zero for columns constant within the group (rounding would hide the aliasing).
      xt[to + k] = Math.abs(v) <= 1e-12 * (Math.abs(x[xo + keep[k]]) + 1) ? 0 : v;
    }
  }
  return { x: xt, p: q, names: keep.map((j) => names[j]), y: yt, nLevels: G };
}
