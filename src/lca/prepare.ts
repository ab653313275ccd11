/**
 * The `prepare` layer of the LCA engine: validates per-row responses, codes them into a
 * typed n × J matrix, compresses identical response patterns into one row with a count,
 * and builds the sparse copy used by the sparse E-step.
 */
import type { LcaData, LcaSparseCodes } from './types';

/** Responses already coded as a typed matrix (codes 0..C−1, −1 = missing), e.g. for national-scale data. */
export interface LcaCodedInput {
  codes: Int16Array | Int8Array | Int32Array;
  nRows: number;
  nItems: number;
}

export type LcaRowsInput = ReadonlyArray<ReadonlyArray<number | null | undefined>> | LcaCodedInput;

export interface LcaCoded {
  nRows: number;
  nItems: number;
  codes: Int16Array;
  nCategories: Int32Array;
}

function isCoded(x: LcaRowsInput): x is LcaCodedInput {
  return !Array.isArray(x) && typeof (x as LcaCodedInput).nRows === 'number';
}

/**
 * Validate and code the input. C_j is the largest observed code + 1 (poLCA's convention)
 * unless `nCategories` is given; then an item may be missing in every row (it adds nothing to
 * the likelihood), which is what prediction on new rows needs. `from` names, for errors, where
 * the categories came from (e.g. 'the model') and the items. Throws naming the row and item of
 * the first bad value, a code at or above C_j, or (without nCategories) an item never observed.
 */
export function codeRows(rows: LcaRowsInput, nCategories?: ReadonlyArray<number>, what = 'rows', from?: { readonly categories: string; readonly itemNames?: readonly string[] }): LcaCoded {
  let n: number;
  let J: number;
  let codes: Int16Array;
  if (isCoded(rows)) {
    n = rows.nRows;
    J = rows.nItems;
    if (rows.codes.length !== n * J) throw new Error(`${what}: codes has length ${rows.codes.length}, expected nRows × nItems = ${n * J}`);
    codes = rows.codes instanceof Int16Array ? rows.codes : Int16Array.from(rows.codes);
    for (let i = 0; i < codes.length; i++) {
      const v = codes[i];
      if (v < -1) throw new Error(`${what}: row ${Math.floor(i / J) + 1}, item ${(i % J) + 1}: code ${v} (codes are 0..C−1, −1 = missing)`);
    }
  } else {
    n = rows.length;
    if (n === 0) throw new Error(`${what}: no rows`);
    J = rows[0].length;
    if (J === 0) throw new Error(`${what}: row 1 has no items`);
    codes = new Int16Array(n * J);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (!r || r.length !== J) throw new Error(`${what}: row ${i + 1} has ${r ? r.length : 'no'} items, expected ${J}`);
      for (let j = 0; j < J; j++) {
        const v = r[j];
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
          codes[i * J + j] = -1;
          continue;
        }
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 32000)
          throw new Error(`${what}: row ${i + 1}, item ${j + 1}: value ${String(v)} is not a category code (integers 0..C−1, null = missing)`);
        codes[i * J + j] = v;
      }
    }
  }
  const nCat = new Int32Array(J);
  for (let i = 0; i < n; i++) for (let j = 0; j < J; j++) if (codes[i * J + j] + 1 > nCat[j]) nCat[j] = codes[i * J + j] + 1;
  if (nCategories) {
    if (nCategories.length !== J)
      throw new Error(from ? `${what}: ${J} items, ${from.categories} has ${nCategories.length}` : `${what}: nCategories has ${nCategories.length} entries, expected ${J}`);
    for (let j = 0; j < J; j++) {
      if (nCat[j] > nCategories[j])
        throw new Error(from ? `${what}: item ${from.itemNames?.[j] ?? j + 1} has code ${nCat[j] - 1}, ${from.categories} has ${nCategories[j]} categories` : `${what}: item ${j + 1} has code ${nCat[j] - 1} but nCategories[${j}] = ${nCategories[j]}`);
      nCat[j] = nCategories[j];
    }
  }
  for (let j = 0; j < J; j++) if (nCat[j] === 0) throw new Error(`${what}: item ${j} is missing in every row`);
  return { nRows: n, nItems: J, codes, nCategories: nCat };
}

export interface CompressedPatterns {
  /** pattern codes, nPatterns × J */
  codes: Int16Array;
  nPatterns: number;
  /** summed weight per pattern */
  weights: Float64Array;
  /** pattern index of each original row */
  rowToPattern: Int32Array;
  /** covariate row of each pattern (nPatterns × S) when covariates were part of the key, else null */
  covariates: Float64Array | null;
}

/** Hash-compress identical rows (open addressing on typed arrays: no per-row allocation). */
export function compressPatterns(
  codes: Int16Array,
  n: number,
  J: number,
  rowWeights: Float64Array | null,
  /** optional n × S covariate rows: rows compress only if their covariates are identical too (bitwise) */
  cov: { x: Float64Array; S: number } | null = null,
): CompressedPatterns {
  const S = cov ? cov.S : 0;
  const covBits = cov ? new Int32Array(cov.x.buffer, cov.x.byteOffset, n * S * 2) : null;
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const rowToPattern = new Int32Array(n);
  const firstRow: number[] = [];
  const patW: number[] = [];
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5 | 0;
    const base = i * J;
    for (let j = 0; j < J; j++) h = Math.imul(h ^ (codes[base + j] + 2), 0x01000193);
    if (covBits) for (let t = i * S * 2, end = t + S * 2; t < end; t++) h = Math.imul(h ^ covBits[t], 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & mask;
    for (;;) {
      const p = table[slot];
      if (p < 0) {
        const idx = firstRow.length;
        table[slot] = idx;
        firstRow.push(i);
        patW.push(0);
        rowToPattern[i] = idx;
        break;
      }
      const rb = firstRow[p] * J;
      let same = true;
      for (let j = 0; j < J; j++)
        if (codes[rb + j] !== codes[base + j]) {
          same = false;
          break;
        }
      if (same && covBits) {
        const cb = firstRow[p] * S * 2;
        const ib = i * S * 2;
        for (let t = 0; t < S * 2; t++)
          if (covBits[cb + t] !== covBits[ib + t]) {
            same = false;
            break;
          }
      }
      if (same) {
        rowToPattern[i] = p;
        break;
      }
      slot = (slot + 1) & mask;
    }
    patW[rowToPattern[i]] += rowWeights ? rowWeights[i] : 1;
  }
  const P = firstRow.length;
  const out = new Int16Array(P * J);
  for (let p = 0; p < P; p++) out.set(codes.subarray(firstRow[p] * J, firstRow[p] * J + J), p * J);
  let covOut: Float64Array | null = null;
  if (cov) {
    covOut = new Float64Array(P * S);
    for (let q = 0; q < P; q++) covOut.set(cov.x.subarray(firstRow[q] * S, firstRow[q] * S + S), q * S);
  }
  return { codes: out, nPatterns: P, weights: Float64Array.from(patW), rowToPattern, covariates: covOut };
}

/** Most frequent category of each item (weighted), the reference of the sparse representation. */
export function modalCategories(codes: Int16Array, n: number, J: number, nCategories: Int32Array, weights: Float64Array): Int32Array {
  const off = new Int32Array(J + 1);
  for (let j = 0; j < J; j++) off[j + 1] = off[j] + nCategories[j];
  const tally = new Float64Array(off[J]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < J; j++) {
      const v = codes[i * J + j];
      if (v >= 0) tally[off[j] + v] += weights[i];
    }
  const ref = new Int32Array(J);
  for (let j = 0; j < J; j++) for (let c = 1; c < nCategories[j]; c++) if (tally[off[j] + c] > tally[off[j] + ref[j]]) ref[j] = c;
  return ref;
}

/** Sparse copy of a code matrix: per row the items whose code is not the item's reference, and the missing items. */
export function buildSparse(codes: Int16Array, n: number, J: number, refCat: Int32Array): LcaSparseCodes {
  let nnz = 0;
  let nmiss = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < J; j++) {
      const v = codes[i * J + j];
      if (v < 0) nmiss++;
      else if (v !== refCat[j]) nnz++;
    }
  const entryStart = new Int32Array(n + 1);
  const entryItem = new Int32Array(nnz);
  const entryCat = new Int32Array(nnz);
  const missStart = new Int32Array(n + 1);
  const missItem = new Int32Array(nmiss);
  let e = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    entryStart[i] = e;
    missStart[i] = m;
    for (let j = 0; j < J; j++) {
      const v = codes[i * J + j];
      if (v < 0) missItem[m++] = j;
      else if (v !== refCat[j]) {
        entryItem[e] = j;
        entryCat[e++] = v;
      }
    }
  }
  entryStart[n] = e;
  missStart[n] = m;
  return { refCat, entryStart, entryItem, entryCat, missStart, missItem };
}

/** Weighted share of entries that differ from their item's reference category (or are missing). */
export function nonReferenceDensity(codes: Int16Array, n: number, J: number, refCat: Int32Array, weights: Float64Array): number {
  let c = 0;
  let t = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < J; j++) {
      t += weights[i];
      if (codes[i * J + j] !== refCat[j]) c += weights[i];
    }
  return t > 0 ? c / t : 0;
}

export interface PrepareOptions {
  weights?: ArrayLike<number>;
  /** rows × p (intercept added here), or null */
  covariates?: Float64Array | null;
  nCov?: number;
  compress?: boolean;
  eStep?: 'auto' | 'dense' | 'sparse' | 'blocked';
}

export interface PreparedLca {
  data: LcaData;
  coded: LcaCoded;
  rowToPattern: Int32Array;
  /** whether the sparse E-step is used (the blocked E-step is a variant of it) */
  useSparse: boolean;
  eStepMode: 'dense' | 'sparse' | 'blocked';
  /** sum of the case weights (= n unweighted): the N of BIC */
  totalWeight: number;
  rowWeights: Float64Array | null;
}

/** Build the numeric-core input from coded rows. */
export function prepareLcaData(coded: LcaCoded, opts: PrepareOptions): PreparedLca {
  const n = coded.nRows;
  const J = coded.nItems;
  let rowWeights: Float64Array | null = null;
  if (opts.weights) {
    if (opts.weights.length !== n) throw new Error(`weights: length ${opts.weights.length}, expected ${n} (one per row)`);
    rowWeights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = Number(opts.weights[i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`weights: row ${i + 1}: ${String(opts.weights[i])} is not a finite non-negative number`);
      rowWeights[i] = v;
    }
  }
  let cov = opts.covariates ?? null;
  const nCov = cov ? (opts.nCov as number) : 0;
  const catOffset = new Int32Array(J + 1);
  for (let j = 0; j < J; j++) catOffset[j + 1] = catOffset[j] + coded.nCategories[j];
  let codes = coded.codes;
  let nRows = n;
  let weights: Float64Array;
  let rowToPattern: Int32Array;
  // With covariates each row has its own prior, so rows merge only when their covariates are
  // identical too (e.g. group dummies: patterns × groups); with continuous covariates little merges.
  if (opts.compress !== false) {
    const c = compressPatterns(coded.codes, n, J, rowWeights, cov ? { x: cov, S: nCov } : null);
    codes = c.codes;
    nRows = c.nPatterns;
    weights = c.weights;
    rowToPattern = c.rowToPattern;
    if (cov) cov = c.covariates;
  } else {
    weights = rowWeights ? rowWeights : new Float64Array(n).fill(1);
    rowToPattern = new Int32Array(n);
    for (let i = 0; i < n; i++) rowToPattern[i] = i;
  }
  const mode = opts.eStep ?? 'auto';
  const refCat = modalCategories(codes, nRows, J, coded.nCategories, weights);
  // per row, sparse costs ~(1 + 2·entries) K-loops against 2J for dense; pick it when clearly cheaper
  const density = nonReferenceDensity(codes, nRows, J, refCat, new Float64Array(nRows).fill(1));
  let allBinary = true;
  for (let j = 0; j < J; j++) if (coded.nCategories[j] !== 2) allBinary = false;
  const nBlocks = Math.ceil(J / 8);
  // per row and class: blocked costs ~2·nBlocks table operations, sparse ~1 + 2·(entries), dense ~2J
  let eStepMode: 'dense' | 'sparse' | 'blocked';
  if (mode === 'blocked') {
    if (!allBinary) throw new Error("eStep: 'blocked' needs binary items only");
    eStepMode = 'blocked';
  } else if (mode === 'auto') {
    if (allBinary && 2 * nBlocks < 1 + 2 * density * J) eStepMode = 'blocked';
    else eStepMode = density < 0.6 ? 'sparse' : 'dense';
  } else eStepMode = mode;
  const useSparse = eStepMode !== 'dense';
  const sparse = useSparse ? buildSparse(codes, nRows, J, refCat) : null;
  let blocks: { nBlocks: number; bytes: Uint8Array } | null = null;
  if (eStepMode === 'blocked') {
    const bytes = new Uint8Array(nRows * nBlocks);
    for (let i = 0; i < nRows; i++)
      for (let j = 0; j < J; j++) {
        const v = codes[i * J + j];
        if (v >= 0 && v !== refCat[j]) bytes[i * nBlocks + (j >> 3)] |= 1 << (j & 7);
      }
    blocks = { nBlocks, bytes };
  }
  let totalWeight = 0;
  if (rowWeights) for (let i = 0; i < n; i++) totalWeight += rowWeights[i];
  else totalWeight = n;
  const data: LcaData = { nRows, nItems: J, nCategories: coded.nCategories, catOffset, codes, weights, sparse, blocks, covariates: cov, nCov };
  return { data, coded, rowToPattern, useSparse, eStepMode, totalWeight, rowWeights };
}
