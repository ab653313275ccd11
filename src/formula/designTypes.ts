/** Input and result types of buildDesign (./design), and the table access it needs. */
import type { DenseMatrix } from '../core/matrix';
import type { ParsedFormula } from './parse';
import type { ModelSpec } from './modelSpec';

/** The part of an arquero Table this layer uses (duck-typed so any Table version works). */
export interface TableLike {
  numRows(): number;
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
  /** Optional fast path (arquero): the backing column, used when the table is neither filtered nor ordered. */
  column?(name: string): unknown;
  isFiltered?(): boolean;
  isOrdered?(): boolean;
}

/** A column's values without copying when the table is a plain, unfiltered, unordered arquero table. */
export function columnValues(table: TableLike, name: string): ArrayLike<unknown> {
  if (table.column && !(table.isFiltered && table.isFiltered()) && !(table.isOrdered && table.isOrdered())) {
    const c = table.column(name);
    if (Array.isArray(c) || (ArrayBuffer.isView(c) && !(c instanceof DataView))) {
      const a = c as ArrayLike<unknown>;
      if (a.length === table.numRows()) return a;
    }
  }
  return table.array(name);
}

export interface FactorInfo {
  /** Column read (for `factor(x)` this is `x`). */
  readonly column: string;
  /** Levels in coding order; levels[0] is the reference. */
  readonly levels: readonly string[];
  readonly reference: string;
}

export interface DesignDropped {
  /** Input rows dropped in total. */
  readonly total: number;
  /** Input rows with a missing value, per column (a row missing in two columns counts in both). */
  readonly missing: Readonly<Record<string, number>>;
  /** Rows where a transform gave a non-finite value from finite inputs (e.g. log(0)), per expression. */
  readonly nonFinite: Readonly<Record<string, number>>;
}

export interface Design {
  readonly spec: ModelSpec;
  readonly formula: ParsedFormula;
  /** Kept columns only (collinear columns removed). */
  readonly x: DenseMatrix;
  readonly names: readonly string[];
  /** All columns R's model.matrix would make, in R's order (collinear ones included). */
  readonly allNames: readonly string[];
  /** Term index per kept column: 0 = intercept, k = terms[k - 1] (R's `assign`). */
  readonly assign: readonly number[];
  readonly terms: readonly string[];
  readonly y?: Float64Array;
  readonly response: string | null;
  /** For each kept row, its 0-based index in the input table. */
  readonly rowIndex: Int32Array;
  readonly nInput: number;
  readonly n: number;
  readonly dropped: DesignDropped;
  readonly collinear: readonly string[];
  readonly factors: Readonly<Record<string, FactorInfo>>;
  /** Kept-row values of `extraColumns` and of the special terms' columns (cluster ids, weights, groups, strata ...). */
  readonly extra: Readonly<Record<string, readonly unknown[]>>;
  /** Special terms (strata(), cluster(), offset(), (1 | g)); their columns' values are in `extra`. */
  readonly specials: ParsedFormula['specials'];
  readonly intercept: boolean;
  /** Factor → listed levels that had no kept rows and were dropped (dropUnusedLevels only). */
  readonly unusedLevels: Readonly<Record<string, readonly string[]>>;
}

export interface BuildDesignOptions {
  /** Override the formula's intercept. */
  readonly intercept?: boolean;
  /**
   * Code factors as if there were an intercept, then leave the '(Intercept)' column out — what
   * coxph does (a Cox model has no intercept but its factors use treatment contrasts).
   */
  readonly dropInterceptColumn?: boolean;
  /** Extra columns that must be non-missing (cluster, weights, group ids); returned in `extra`. */
  readonly extraColumns?: readonly string[];
  /** Detect and drop collinear columns (default true). */
  readonly checkCollinear?: boolean;
  /** Evaluate the response into `y` (default true when the response is a plain numeric expression). */
  readonly response?: boolean;
  /** Replace columns' values: a constant for every row, or a function (value, row) → value. Used for counterfactual predictions. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Reuse factor levels from an earlier design (so counterfactual designs have the same columns). */
  readonly factorsFrom?: Readonly<Record<string, FactorInfo>>;
  /** Use exactly these input rows (no missing-value dropping), e.g. a previous design's rowIndex. */
  readonly rows?: Int32Array;
  /**
   * Drop factor levels with no kept rows, as R's model.frame(drop.unused.levels = TRUE) does for
   * lm and glm (coxph keeps them). A dropped reference level passes the reference to the next
   * listed level. Dropped levels are reported in `unusedLevels`. Default false.
   */
  readonly dropUnusedLevels?: boolean;
}
