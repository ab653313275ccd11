/** Input checks shared by the count fitters: counts, offsets, weights (group and cluster ids are coded by core/groups). */

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

