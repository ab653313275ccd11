/**
 * Adjusted Rand index (Hubert & Arabie 1985) from a contingency table or two label vectors.
 * Inputs: table[i][j] = count of items in true class i and assigned class j (any shape), or two
 * equal-length label arrays. Output: ARI in [-1, 1]; 1 = identical partitions up to relabelling.
 * Returns NaN when undefined (fewer than 2 items, or both partitions trivial).
 */
export function adjustedRandIndexFromTable(table: ReadonlyArray<ReadonlyArray<number>>): number {
  const choose2 = (n: number): number => (n * (n - 1)) / 2;
  let sumCells = 0;
  let n = 0;
  const cols: number[] = [];
  let sumRows = 0;
  for (const row of table) {
    let r = 0;
    row.forEach((c, j) => {
      sumCells += choose2(c);
      r += c;
      cols[j] = (cols[j] ?? 0) + c;
    });
    sumRows += choose2(r);
    n += r;
  }
  let sumCols = 0;
  for (const c of cols) sumCols += choose2(c ?? 0);
  const total = choose2(n);
  if (total === 0) return NaN;
  const expected = (sumRows * sumCols) / total;
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return NaN;
  return (sumCells - expected) / (max - expected);
}

/**
 * Adjusted Rand index of two labellings of the same items (Hubert & Arabie 1985; mclust's
 * adjustedRandIndex). Inputs: two equal-length label arrays (numbers or strings). Output: ARI,
 * 1 for identical partitions up to relabelling, ~0 for independent ones; NaN where undefined.
 * Errors: lengths differ.
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length) throw new Error(`adjustedRandIndex: label vectors differ in length (${a.length} vs ${b.length})`);
  const ia = new Map<number | string, number>();
  const ib = new Map<number | string, number>();
  const table: number[][] = [];
  for (let i = 0; i < a.length; i++) {
    let r = ia.get(a[i]);
    if (r === undefined) { r = ia.size; ia.set(a[i], r); table.push([]); }
    let c = ib.get(b[i]);
    if (c === undefined) { c = ib.size; ib.set(b[i], c); }
    table[r][c] = (table[r][c] ?? 0) + 1;
  }
  return adjustedRandIndexFromTable(table.map((row) => Array.from({ length: ib.size }, (_, j) => row[j] ?? 0)));
}
