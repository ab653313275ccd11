// Data and parameter shapes shared by the EM core, the E-step kernels, preparation and the
// variance code. Kept apart so those modules depend on these types, not on each other.

export interface LcaSparseCodes {
  /** per item the reference category (its most frequent one): rows store only other codes */
  refCat: Int32Array;
  /** nRows+1 offsets into entryItem/entryCat: the row's responses other than the reference */
  entryStart: Int32Array;
  entryItem: Int32Array;
  entryCat: Int32Array;
  /** nRows+1 offsets into missItem: the row's missing items */
  missStart: Int32Array;
  missItem: Int32Array;
}

export interface LcaData {
  nRows: number;
  nItems: number;
  nCategories: Int32Array;
  /** length nItems+1; catOffset[nItems] = total number of categories T */
  catOffset: Int32Array;
  codes: Int16Array;
  /** per-row weight (pattern count × case weight) */
  weights: Float64Array;
  /** sparse copy of codes for the sparse E-step, or null */
  sparse: LcaSparseCodes | null;
  /**
   * For all-binary items: per row, bytes whose bits flag "not the reference category" for
   * items 8b..8b+7 (nRows × nBlocks). The E-step then adds one precomputed 256-entry table
   * value per block and class instead of one value per item. Requires `sparse` (reference
   * categories and missing items). Null when not used.
   */
  blocks: { nBlocks: number; bytes: Uint8Array } | null;
  /** nRows × nCov design including the intercept column, or null */
  covariates: Float64Array | null;
  nCov: number;
}

export interface LcaParams {
  nClasses: number;
  shares: Float64Array;
  probs: Float64Array;
  beta: Float64Array | null;
}
