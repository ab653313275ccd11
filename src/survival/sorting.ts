// Linear-time orderings for the sweep (TypedArray.sort with a comparator is slow at millions of rows).

/** Distinct values of v, ascending (native numeric sort, no comparator). */
export function uniqueSorted(v: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(v).sort();
  let m = 0;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) s[m++] = s[i];
  return s.slice(0, m);
}

/** Index of value in the ascending array u (value must be present). */
export function rankOf(u: Float64Array, value: number): number {
  let lo = 0;
  let hi = u.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Stable order of rows by (group ascending, value descending), original index breaking ties.
 * Inputs: values (finite numbers), group codes in [0, nGroups) or null, optional subset of row ids.
 * Output: row ids. Two counting-sort passes: O(n + distinct values + groups).
 */
export function orderByGroupThenDescending(values: ArrayLike<number>, group: ArrayLike<number> | null, nGroups: number, rows?: Uint32Array): Uint32Array {
  // Without a subset the row ids are 0..n−1 and values is read in place: at national size each
  // n-long scratch array costs page faults, so none is made that is not needed.
  const ids = rows ?? null;
  const n = ids === null ? values.length : ids.length;
  let sub: ArrayLike<number> = values;
  if (ids !== null) {
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) s[k] = values[ids[k]];
    sub = s;
  }
  const u = uniqueSorted(sub);
  const m = u.length;
  const key = new Int32Array(n);
  for (let k = 0; k < n; k++) key[k] = m - 1 - rankOf(u, sub[k]);
  const count = new Int32Array(Math.max(m, nGroups) + 1);
  const tmp = new Uint32Array(n);
  for (let k = 0; k < n; k++) count[key[k] + 1]++;
  for (let r = 0; r < m; r++) count[r + 1] += count[r];
  for (let k = 0; k < n; k++) tmp[count[key[k]]++] = k;
  if (group === null) {
    if (ids !== null) for (let q = 0; q < n; q++) tmp[q] = ids[tmp[q]];
    return tmp;
  }
  count.fill(0);
  const out = new Uint32Array(n);
  if (ids === null) {
    for (let k = 0; k < n; k++) count[group[k] + 1]++;
    for (let g = 0; g < nGroups; g++) count[g + 1] += count[g];
    for (let q = 0; q < n; q++) {
      const k = tmp[q];
      out[count[group[k]]++] = k;
    }
    return out;
  }
  for (let k = 0; k < n; k++) count[group[ids[k]] + 1]++;
  for (let g = 0; g < nGroups; g++) count[g + 1] += count[g];
  for (let q = 0; q < n; q++) {
    const k = tmp[q];
    out[count[group[ids[k]]]++] = ids[k];
  }
  return out;
}
