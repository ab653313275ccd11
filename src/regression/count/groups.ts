/** Group ids → codes 0..G−1 with levels sorted as R's factor() sorts them (numbers numerically, else as text). */
export interface GroupIndex { readonly codes: Int32Array; readonly levels: readonly string[] }

/** Group codes 0..G−1 for n ids, levels sorted as R's factor(). Errors: wrong length, a missing id (1-based row). */
export function groupIndex(ids: ArrayLike<unknown>, n: number): GroupIndex {
  if (!ids || ids.length !== n) throw new Error(`groups: has length ${ids ? ids.length : 0}, expected ${n}`);
  const seen = new Map<string, unknown>();
  for (let i = 0; i < n; i++) {
    const v = ids[i];
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) throw new Error(`groups: row ${i + 1} is missing`);
    const key = String(v);
    if (!seen.has(key)) seen.set(key, v);
  }
  const numeric = Array.from(seen.values()).every((v) => typeof v === 'number');
  const levels = Array.from(seen.keys()).sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const pos = new Map(levels.map((l, i) => [l, i] as const));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = pos.get(String(ids[i]))!;
  return { codes, levels };
}
