/** Input checks shared by the count fitters: counts, offsets, weights, group/cluster ids. */

export function checkCounts(yIn: ArrayLike<number>, offIn: ArrayLike<number> | undefined, wIn: ArrayLike<number> | undefined,
  n: number, warnings: string[], who: string): { y: Float64Array; offset: Float64Array | null; weights: Float64Array | null } {
  if (!yIn || yIn.length !== n) throw new Error(`${who}: y has length ${yIn ? yIn.length : 0}, expected ${n} (rows of x)`);
  const y = Float64Array.from(yIn);
  let nonInteger = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v) || v < 0) throw new Error(`${who}: y row ${i + 1} is ${v}; counts must be finite and ≥ 0`);
    if (!Number.isInteger(v)) nonInteger++;
  }
  if (nonInteger) warnings.push(`${nonInteger} non-integer count(s) in y (R warns the same): the likelihood is not a count likelihood there`);
  let offset: Float64Array | null = null;
  if (offIn) {
    if (offIn.length !== n) throw new Error(`${who}: offset has length ${offIn.length}, expected ${n}`);
    offset = Float64Array.from(offIn);
    for (let i = 0; i < n; i++) if (!Number.isFinite(offset[i])) throw new Error(`${who}: offset row ${i + 1} is ${offset[i]} (log of a zero or missing population?)`);
  }
  let weights: Float64Array | null = null;
  if (wIn) {
    if (wIn.length !== n) throw new Error(`${who}: weights has length ${wIn.length}, expected ${n}`);
    weights = Float64Array.from(wIn);
    for (let i = 0; i < n; i++) if (!(weights[i] > 0) || !Number.isFinite(weights[i])) throw new Error(`${who}: weights row ${i + 1} is ${weights[i]}; weights must be finite and > 0`);
  }
  return { y, offset, weights };
}

/** Codes 0..G−1 for arbitrary ids, in order of first appearance; `levels` lists the ids. */
export function clusterIds(ids: ArrayLike<unknown>, n: number, what = 'cluster'): { codes: Int32Array; G: number; levels: unknown[] } {
  if (!ids || ids.length !== n) throw new Error(`${what}: has length ${ids ? ids.length : 0}, expected ${n}`);
  const map = new Map<unknown, number>(); const levels: unknown[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = ids[i];
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) throw new Error(`${what}: row ${i + 1} is missing`);
    let c = map.get(v);
    if (c === undefined) { c = map.size; map.set(v, c); levels.push(v); }
    codes[i] = c;
  }
  return { codes, G: map.size, levels };
}
