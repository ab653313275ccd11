import { PRODUCT_FLOOR } from './work';

/**
 * Hot loops of the product path, generated once per number of classes K.
 *
 * Why generated: V8 keeps the K running products of a row in registers only when they are
 * separate local variables; looping over a K-length array instead costs a load and a store
 * per class and factor. On 200k × 30 binary items, K = 6, the unrolled loop measured about
 * 3× faster. The generated code is the loop below with `k` unrolled; it has no other logic.
 *
 * blocked(lo, hi, accumulate, tables…, fallback): binary items, one table factor per byte.
 * sparse(lo, hi, accumulate, tables…, fallback): one factor per non-reference response and
 *   per missing item.
 * Both return Σ w_i log P(y_i) over rows without fallback; `fallback(i)` handles rows that
 * need log space (it accumulates their statistics itself and returns w_i log P(y_i)).
 */
interface Kernels {
  blocked: (
    lo: number, hi: number, accumulate: boolean, bytes: Uint8Array, B: number, bp: Float64Array, bs: Float64Array,
    prior: Float64Array, priorScale: number, weights: Float64Array, missStart: Int32Array, bmass: Float64Array,
    classTotal: Float64Array, fallback: (i: number) => number,
  ) => number;
  sparse: (
    lo: number, hi: number, accumulate: boolean, off: Int32Array, entryStart: Int32Array, entryItem: Int32Array,
    entryCat: Int32Array, missStart: Int32Array, missItem: Int32Array, pt: Float64Array, ps: Float64Array,
    mp: Float64Array, ms: Float64Array, prior: Float64Array, priorScale: number, weights: Float64Array,
    counts: Float64Array, missW: Float64Array, classTotal: Float64Array, fallback: (i: number) => number,
  ) => number;
}

const kernelCache = new Map<number, Kernels>();
/** Beyond this many classes the generated code would be long for little gain: loops over arrays instead. */
const MAX_UNROLLED_K = 24;

/** The generated (K-unrolled) blocked and sparse E-step loops for K classes, cached; null above MAX_UNROLLED_K (array loops are used). */
export function kernels(K: number): Kernels | null {
  if (K > MAX_UNROLLED_K) return null;
  const cached = kernelCache.get(K);
  if (cached) return cached;
  const ks = Array.from({ length: K }, (_, k) => k);
  const each = (f: (k: number) => string, sep = ' '): string => ks.map(f).join(sep);
  const rowStart = `${each((k) => `let t${k} = p${k};`)} let scale = priorScale;`;
  // sum ≥ K·floor implies the largest product ≥ floor (the largest is ≥ sum/K), without K compares
  const finish = `
      const sum = ${each((k) => `t${k}`, ' + ')};
      if (!(sum >= ${K * PRODUCT_FLOOR})) { ll += fallback(i); continue; }
      ll += wi * (scale + Math.log(sum));
      if (!accumulate) continue;
      const f = wi / sum;
      ${each((k) => `t${k} *= f; c${k} += t${k};`)}`;
  const head = `${each((k) => `const p${k} = prior[${k}];`)} ${each((k) => `let c${k} = 0;`)} let ll = 0;`;
  const tail = `if (accumulate) { ${each((k) => `classTotal[${k}] += c${k};`)} } return ll;`;
  const mul = (base: string, table: string): string => each((k) => `t${k} *= ${table}[${base} + ${k}];`);
  const add = (base: string, target: string): string => each((k) => `${target}[${base} + ${k}] += t${k};`);
  const blocked = `
    ${head}
    for (let i = lo; i < hi; i++) {
      const wi = weights[i];
      if (missStart[i + 1] > missStart[i]) { ll += fallback(i); continue; }
      ${rowStart}
      const rb = i * B;
      for (let b = 0; b < B; b++) { const v = b * 256 + bytes[rb + b]; scale += bs[v]; const base = v * ${K}; ${mul('base', 'bp')} }
      ${finish}
      for (let b = 0; b < B; b++) { const base = (b * 256 + bytes[rb + b]) * ${K}; ${add('base', 'bmass')} }
    }
    ${tail}`;
  const sparse = `
    ${head}
    for (let i = lo; i < hi; i++) {
      const wi = weights[i];
      ${rowStart}
      const e0 = entryStart[i], e1 = entryStart[i + 1], m0 = missStart[i], m1 = missStart[i + 1];
      for (let e = e0; e < e1; e++) { const r = off[entryItem[e]] + entryCat[e]; scale += ps[r]; const base = r * ${K}; ${mul('base', 'pt')} }
      for (let e = m0; e < m1; e++) { const j = missItem[e]; scale += ms[j]; const base = j * ${K}; ${mul('base', 'mp')} }
      ${finish}
      for (let e = e0; e < e1; e++) { const base = (off[entryItem[e]] + entryCat[e]) * ${K}; ${add('base', 'counts')} }
      for (let e = m0; e < m1; e++) { const base = missItem[e] * ${K}; ${add('base', 'missW')} }
    }
    ${tail}`;
  const k: Kernels = {
    blocked: new Function('lo', 'hi', 'accumulate', 'bytes', 'B', 'bp', 'bs', 'prior', 'priorScale', 'weights', 'missStart', 'bmass', 'classTotal', 'fallback', blocked) as Kernels['blocked'],
    sparse: new Function('lo', 'hi', 'accumulate', 'off', 'entryStart', 'entryItem', 'entryCat', 'missStart', 'missItem', 'pt', 'ps', 'mp', 'ms', 'prior', 'priorScale', 'weights', 'counts', 'missW', 'classTotal', 'fallback', sparse) as Kernels['sparse'],
  };
  kernelCache.set(K, k);
  return k;
}
