// The one coding of group / strata / cluster labels, shared by Cox, Kaplan–Meier and the
// regression cluster variance.
import { isMissing } from './missing';

export type Label = string | number;

/**
 * Maps labels to integer codes 0..L−1 with levels sorted as R's factor() sorts them: numbers
 * (every label a JS number) numerically, as factor() on a numeric vector; anything else as text,
 * as factor() on a character vector, so numeric-looking text sorts as text
 * (levels(factor(c("10", "9", "100"))) is "10" "100" "9" in R, in every locale). Text is
 * compared by character code, which is R's order in the C locale (and sort(method = "radix"));
 * R in another locale can order labels that differ only in case or punctuation differently
 * ("a" "B" against "B" "a"), but LA codes (E06000001, …), numeric text and same-case ids sort
 * the same in every locale.
 * Inputs: values (length n), what (prefix for errors, e.g. 'fitCox: strata').
 * Output: codes (Int32Array, length n) and the level labels as strings, in code order.
 * Failure: throws naming the row of the first missing label (core/missing's rule: null,
 * undefined, NaN, blank text), or a length
 * mismatch. Numeric input takes a fast path with no string conversion per row.
 */
export function labelCodes(values: ArrayLike<unknown>, n: number, what: string): { codes: Int32Array; levels: string[] } {
  if (!values || values.length !== n) throw new Error(`${what} has length ${values ? values.length : 0}, expected ${n}`);
  const codes = new Int32Array(n);
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      numeric = false;
      break;
    }
    if (!Number.isFinite(v)) throw new Error(`${what} is missing or not finite at row ${i + 1}`);
  }
  if (numeric) {
    // Integer labels in a range not much wider than n (LA codes, child ids): a dense table
    // instead of a hash map, which is what national-size strata and cluster columns need.
    let lo = Infinity;
    let hi = -Infinity;
    let integer = true;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (integer && !Number.isInteger(v)) integer = false;
    }
    if (integer && n > 0 && hi - lo < 4 * n + 1024) {
      const span = hi - lo + 1;
      const table = new Int32Array(span).fill(-1);
      for (let i = 0; i < n; i++) table[(values[i] as number) - lo] = 0;
      const levels: string[] = [];
      let next = 0;
      for (let v = 0; v < span; v++) {
        if (table[v] === 0) {
          table[v] = next++;
          levels.push(String(v + lo));
        }
      }
      for (let i = 0; i < n; i++) codes[i] = table[(values[i] as number) - lo];
      return { codes, levels };
    }
    const seen = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      let c = seen.get(v);
      if (c === undefined) {
        c = seen.size;
        seen.set(v, c);
      }
      codes[i] = c;
    }
    const byValue = Array.from(seen.keys()).sort((a, b) => a - b);
    const remap = new Int32Array(byValue.length);
    byValue.forEach((v, k) => (remap[seen.get(v) as number] = k));
    for (let i = 0; i < n; i++) codes[i] = remap[codes[i]];
    return { codes, levels: byValue.map(String) };
  }
  // One hash pass in first-seen order, then a remap to sorted levels (no per-row key array).
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) {
      throw new Error(`${what} is missing at row ${i + 1}`);
    }
    const key = typeof v === 'string' ? v : String(v);
    let c = seen.get(key);
    if (c === undefined) {
      c = seen.size;
      seen.set(key, c);
    }
    codes[i] = c;
  }
  // Array.prototype.sort without a comparator compares UTF-16 code units: the C locale's order.
  const levels = Array.from(seen.keys()).sort();
  const remap = new Int32Array(levels.length);
  levels.forEach((l, k) => (remap[seen.get(l) as number] = k));
  for (let i = 0; i < n; i++) codes[i] = remap[codes[i]];
  return { codes, levels };
}
