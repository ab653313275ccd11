// Statistical disclosure control (SDC) for aggregate outputs.
//
// Every count that leaves the display layer passes through here: primary suppression of
// small cells, secondary suppression so that published totals cannot reveal a suppressed
// cell by subtraction, and rounding. Plain data in, plain data out; no arquero, no plotly.

/** Output-checking rules. `minCount`: smallest count that may be shown (counts in 1..minCount-1
 *  are suppressed; zeros are shown because rounding and the threshold already protect them).
 *  `roundTo`: shown counts are rounded to the nearest multiple (1 = no rounding).
 *  `secondary`: suppress further cells until no suppressed cell can be recovered from totals. */
export interface SdcRules {
  readonly minCount: number;
  readonly roundTo: number;
  readonly secondary: boolean;
}

export const DEFAULT_SDC_RULES: SdcRules = Object.freeze({ minCount: 10, roundTo: 5, secondary: true });

/** Marker shown in tables in place of a suppressed count (figures use null). */
export const SDC_SUPPRESSED = '[c]';

export type SdcValue = number | string | null;
export type SdcRow = Record<string, SdcValue>;

/** Validates and completes partial rules; throws naming the offending field. */
export function sdcRules(partial?: Partial<SdcRules>): SdcRules {
  const rules = { ...DEFAULT_SDC_RULES, ...(partial ?? {}) };
  if (!Number.isInteger(rules.minCount) || rules.minCount < 1) {
    throw new Error(`SDC rules: minCount must be a positive integer, got ${String(rules.minCount)}`);
  }
  if (!Number.isInteger(rules.roundTo) || rules.roundTo < 1) {
    throw new Error(`SDC rules: roundTo must be a positive integer, got ${String(rules.roundTo)}`);
  }
  if (typeof rules.secondary !== 'boolean') {
    throw new Error(`SDC rules: secondary must be true or false, got ${String(rules.secondary)}`);
  }
  return Object.freeze(rules);
}

/** Human-readable statement of which rules were applied, for a table footnote. */
export function sdcNote(rules: SdcRules, suppressedPrimary = 0, suppressedSecondary = 0): string {
  const parts = [`counts below ${rules.minCount} suppressed (${SDC_SUPPRESSED})`];
  if (rules.secondary) parts.push('secondary suppression so totals cannot reveal suppressed cells');
  if (rules.roundTo > 1) parts.push(`counts rounded to the nearest ${rules.roundTo}`);
  parts.push('percentages suppressed where numerator, complement or denominator is below the threshold');
  let note = `Disclosure control: ${parts.join('; ')}.`;
  if (suppressedPrimary + suppressedSecondary > 0) {
    note += ` ${suppressedPrimary} cell(s) suppressed as small, ${suppressedSecondary} as secondary.`;
  }
  return note;
}

function isSmall(count: number, rules: SdcRules): boolean {
  return count > 0 && count < rules.minCount;
}

/** Rounds a count to the rule's base; half-way values round up, as `Math.round` does. */
export function roundCount(count: number, rules: SdcRules): number {
  if (rules.roundTo <= 1) return Math.round(count);
  return Math.round(count / rules.roundTo) * rules.roundTo;
}

/** A single count made safe: null when suppressed, rounded otherwise. */
export function protectCount(count: number | null | undefined, partial?: Partial<SdcRules>): number | null {
  const rules = sdcRules(partial);
  if (count === null || count === undefined || !Number.isFinite(count)) return null;
  if (isSmall(count, rules)) return null;
  return roundCount(count, rules);
}

/** A rate or percentage made safe. Derived from the protected (rounded) numerator and denominator,
 *  never the exact ones, so it adds nothing to the counts shown beside it. Null when the numerator,
 *  its complement (denominator − numerator) or the denominator is a small count, and when the
 *  numerator is 0 or equals the denominator: "0%" / "100%" of a group says something about every
 *  member of it (ONS SRS group-disclosure rule). */
export function protectRate(
  numerator: number,
  denominator: number,
  partial?: Partial<SdcRules>,
  scale = 100,
): number | null {
  const rules = sdcRules(partial);
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
  if (denominator < rules.minCount) return null;
  if (numerator < rules.minCount || denominator - numerator < rules.minCount) return null;
  const num = roundCount(numerator, rules);
  const den = roundCount(denominator, rules);
  if (num <= 0 || num >= den) return null;
  return (num / den) * scale;
}

/**
 * Cell-suppression mask for a count matrix with published margins.
 * Inputs: `counts` (nrow × ncol, row-major), which margins are published.
 * Output: mask (1 = suppressed) and the number of primary and secondary suppressions.
 * Guarantee (when `secondary`): no suppressed cell is a linear function of the published
 * cells and margins, i.e. no suppressed cell can be recovered by adding and subtracting.
 * Small tables only (the check is dense linear algebra on the suppressed cells).
 */
export function suppressionMask(
  counts: ArrayLike<number>,
  nrow: number,
  ncol: number,
  rules: SdcRules,
  margins: 'both' | 'rows' | 'columns' | 'none' = 'both',
): { mask: Uint8Array; primary: number; secondary: number } {
  const mask = new Uint8Array(nrow * ncol);
  let primary = 0;
  for (let i = 0; i < nrow * ncol; i++) {
    if (isSmall(counts[i], rules)) {
      mask[i] = 1;
      primary++;
    }
  }
  let secondary = 0;
  if (!rules.secondary || margins === 'none' || primary === 0) return { mask, primary, secondary };
  // A line with a single cell has no separate total: its "total" is the cell itself, and counting
  // it as a margin would make every suppressed cell look exposed and blank the whole table.
  const rowTotalsKnown = (margins === 'both' || margins === 'rows') && ncol > 1;
  const colTotalsKnown = (margins === 'both' || margins === 'columns') && nrow > 1;
  if (!rowTotalsKnown && !colTotalsKnown) return { mask, primary, secondary };

  // Repeat while some suppressed cell follows from the margins: among unsuppressed cells in the
  // lines (rows/columns with a published total) through the exposed cells, suppress the one that
  // leaves the fewest exposed cells, preferring small non-zero counts (least information lost).
  // Each pass adds a cell, so this terminates.
  for (let guard = 0; guard < nrow * ncol; guard++) {
    const exposed = determinedCells(mask, nrow, ncol, rowTotalsKnown, colTotalsKnown);
    if (exposed.length === 0) break;
    const candidates = new Set<number>();
    for (const idx of exposed) {
      const r = Math.floor(idx / ncol);
      const c = idx % ncol;
      if (rowTotalsKnown) for (let j = 0; j < ncol; j++) if (!mask[r * ncol + j]) candidates.add(r * ncol + j);
      if (colTotalsKnown) for (let i = 0; i < nrow; i++) if (!mask[i * ncol + c]) candidates.add(i * ncol + c);
    }
    if (candidates.size === 0) break; // every line through the exposed cells is already suppressed
    let best = -1;
    let bestExposed = Infinity;
    let bestCost = Infinity;
    for (const idx of candidates) {
      mask[idx] = 1;
      const left = determinedCells(mask, nrow, ncol, rowTotalsKnown, colTotalsKnown).length;
      mask[idx] = 0;
      // Zero cells are a last resort: suppressing a structural zero protects little.
      const cost = counts[idx] === 0 ? 1e15 : counts[idx];
      if (left < bestExposed || (left === bestExposed && cost < bestCost)) {
        best = idx;
        bestExposed = left;
        bestCost = cost;
      }
    }
    mask[best] = 1;
    secondary++;
  }
  return { mask, primary, secondary };
}

/** Indices of the suppressed cells whose values follow from the published margins.
 *  A cell is determined iff its unit vector lies in the row space of the margin constraints
 *  restricted to suppressed cells, i.e. iff every null-space vector is zero on it. */
function determinedCells(
  mask: Uint8Array,
  nrow: number,
  ncol: number,
  rowTotalsKnown: boolean,
  colTotalsKnown: boolean,
): number[] {
  const cells: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) cells.push(i);
  const m = cells.length;
  if (m === 0) return [];
  const equations: number[][] = [];
  if (rowTotalsKnown) {
    for (let r = 0; r < nrow; r++) {
      const eq = cells.map((idx) => (Math.floor(idx / ncol) === r ? 1 : 0));
      if (eq.some((v) => v !== 0)) equations.push(eq);
    }
  }
  if (colTotalsKnown) {
    for (let c = 0; c < ncol; c++) {
      const eq = cells.map((idx) => (idx % ncol === c ? 1 : 0));
      if (eq.some((v) => v !== 0)) equations.push(eq);
    }
  }
  const determined = determinedUnknowns(equations, m);
  return cells.filter((_, k) => determined[k]);
}

/** For a linear system A·x = b (A given, b known), flags the unknowns x_k that are uniquely
 *  determined. Uses reduced row echelon form: x_k is determined iff it is a pivot variable whose
 *  reduced row has no free-variable entries. Exported for tests. */
export function determinedUnknowns(equations: number[][], nUnknowns: number): boolean[] {
  const a = equations.map((row) => row.slice());
  const pivotCols: number[] = [];
  let rank = 0;
  const eps = 1e-9;
  for (let col = 0; col < nUnknowns && rank < a.length; col++) {
    let pivot = -1;
    let best = eps;
    for (let i = rank; i < a.length; i++) {
      if (Math.abs(a[i][col]) > best) {
        best = Math.abs(a[i][col]);
        pivot = i;
      }
    }
    if (pivot < 0) continue;
    [a[rank], a[pivot]] = [a[pivot], a[rank]];
    const pv = a[rank][col];
    for (let j = 0; j < nUnknowns; j++) a[rank][j] /= pv;
    for (let i = 0; i < a.length; i++) {
      if (i === rank) continue;
      const f = a[i][col];
      if (Math.abs(f) > eps) for (let j = 0; j < nUnknowns; j++) a[i][j] -= f * a[rank][j];
    }
    pivotCols.push(col);
    rank++;
  }
  const isPivot = new Uint8Array(nUnknowns);
  for (const c of pivotCols) isPivot[c] = 1;
  const determined = new Array<boolean>(nUnknowns).fill(false);
  for (let r = 0; r < rank; r++) {
    let onlyPivot = true;
    for (let j = 0; j < nUnknowns; j++) {
      if (!isPivot[j] && Math.abs(a[r][j]) > eps) {
        onlyPivot = false;
        break;
      }
    }
    if (onlyPivot) determined[pivotCols[r]] = true;
  }
  return determined;
}

/** A table ready for display: counts suppressed/rounded, with a note of the rules applied.
 *  `countColumns` lists the columns holding counts, so renderers can tag them for the output
 *  checker. */
export interface ProtectedTable {
  readonly kind: 'sdc-table';
  readonly rows: ReadonlyArray<Readonly<SdcRow>>;
  readonly columns: ReadonlyArray<string>;
  readonly countColumns: ReadonlyArray<string>;
  readonly rules: SdcRules;
  readonly note: string;
  readonly suppressed: { readonly primary: number; readonly secondary: number };
  /** Fixed decimals per column for display (e.g. percentages), when stated. */
  readonly columnDigits?: Readonly<Record<string, number>>;
}

export interface ProtectTableOptions {
  /** Columns holding counts (non-negative integers); suppressed, secondary-suppressed and rounded. */
  countColumns: string[];
  /** Percentages derived from counts: each is suppressed with its numerator/denominator. */
  rates?: Array<{ column: string; numerator: string; denominator: string; scale?: number; digits?: number }>;
  rules?: Partial<SdcRules>;
  /** Which totals the reader can form or sees: row sums across count columns, column sums down
   *  rows, both (default, the conservative choice) or none (e.g. counts in unrelated columns). */
  margins?: 'both' | 'rows' | 'columns' | 'none';
  /** Append a total row (computed from unrounded counts, then protected). */
  totalRow?: string;
  /** Column that labels rows; used for the total row's label. */
  labelColumn?: string;
}

/** Accepts plain row objects or anything with `.objects()` (an arquero table). */
export function rowsOf(input: ReadonlyArray<object> | { objects(): object[] }): Record<string, unknown>[] {
  if (Array.isArray(input)) return input as Record<string, unknown>[];
  if (input && typeof (input as { objects?: unknown }).objects === 'function') {
    return (input as { objects(): object[] }).objects() as Record<string, unknown>[];
  }
  throw new Error('display: expected an array of row objects or an arquero table');
}

/**
 * Applies the SDC rules to a table's count columns (and rates derived from them).
 * Suppressed counts become "[c]"; rates whose inputs are unsafe become "[c]" too.
 * Throws if a count column is missing or holds a negative / non-integer value (names row and column).
 */
export function protectTable(
  input: ReadonlyArray<object> | { objects(): object[] },
  options: ProtectTableOptions,
): ProtectedTable {
  const rules = sdcRules(options.rules);
  const src = rowsOf(input);
  const countColumns = options.countColumns.slice();
  const rows: Record<string, unknown>[] = src.map((r) => ({ ...r }));
  for (const col of countColumns) {
    rows.forEach((r, i) => {
      const v = r[col];
      if (v === null || v === undefined) return;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || Math.abs(v - Math.round(v)) > 1e-9) {
        throw new Error(`protectTable: count column "${col}" row ${i + 1} holds ${JSON.stringify(v)}, expected a non-negative integer count`);
      }
    });
    if (src.length > 0 && !(col in src[0])) throw new Error(`protectTable: count column "${col}" not found (columns: ${Object.keys(src[0]).join(', ')})`);
  }
  if (options.totalRow !== undefined) {
    const total: Record<string, unknown> = {};
    if (options.labelColumn) total[options.labelColumn] = options.totalRow;
    for (const col of countColumns) total[col] = rows.reduce((s, r) => s + (typeof r[col] === 'number' ? (r[col] as number) : 0), 0);
    for (const rate of options.rates ?? []) {
      total[rate.numerator] = total[rate.numerator] ?? rows.reduce((s, r) => s + Number(r[rate.numerator] ?? 0), 0);
      total[rate.denominator] = total[rate.denominator] ?? rows.reduce((s, r) => s + Number(r[rate.denominator] ?? 0), 0);
    }
    rows.push(total);
  }
  const nrow = rows.length;
  const ncol = countColumns.length;
  const counts = new Float64Array(nrow * ncol);
  for (let i = 0; i < nrow; i++) for (let j = 0; j < ncol; j++) counts[i * ncol + j] = Number(rows[i][countColumns[j]] ?? 0);
  // A total row is itself a margin: exclude it from the interior so its cells are only primary-checked.
  const interiorRows = options.totalRow !== undefined ? nrow - 1 : nrow;
  const { mask, primary, secondary } = suppressionMask(
    counts.subarray(0, interiorRows * ncol),
    interiorRows,
    ncol,
    rules,
    options.margins ?? 'both',
  );
  let primaryAll = primary;
  const out: SdcRow[] = rows.map((r, i) => {
    const o: SdcRow = {};
    for (const [k, v] of Object.entries(r)) o[k] = v === undefined ? null : (v as SdcValue);
    for (let j = 0; j < ncol; j++) {
      const col = countColumns[j];
      if (r[col] === null || r[col] === undefined) continue;
      const c = counts[i * ncol + j];
      const hidden = i < interiorRows ? mask[i * ncol + j] === 1 : isSmall(c, rules);
      if (i >= interiorRows && hidden) primaryAll++;
      o[col] = hidden ? SDC_SUPPRESSED : roundCount(c, rules);
    }
    for (const rate of options.rates ?? []) {
      const num = Number(r[rate.numerator]);
      const den = Number(r[rate.denominator]);
      const v = protectRate(num, den, rules, rate.scale ?? 100);
      const numHidden = o[rate.numerator] === SDC_SUPPRESSED || o[rate.denominator] === SDC_SUPPRESSED;
      o[rate.column] = v === null || numHidden ? SDC_SUPPRESSED : roundTo(v, rate.digits ?? 1);
    }
    return o;
  });
  const columns = out.length > 0 ? Object.keys(out[0]) : countColumns.slice();
  return Object.freeze({
    kind: 'sdc-table' as const,
    rows: Object.freeze(out.map((r) => Object.freeze(r))),
    columns: Object.freeze(columns),
    countColumns: Object.freeze(countColumns),
    rules,
    note: sdcNote(rules, primaryAll, secondary),
    suppressed: Object.freeze({ primary: primaryAll, secondary }),
    columnDigits: Object.freeze(Object.fromEntries((options.rates ?? []).map((r) => [r.column, r.digits ?? 1]))),
  });
}

/** A table with no counts (e.g. model estimates): carried in the same shape so `show` treats all
 *  tables alike. Rounds numbers to `digits` significant decimals for display. */
export function plainTable(
  input: ReadonlyArray<object> | { objects(): object[] },
  note = '',
): ProtectedTable {
  const rows = rowsOf(input).map((r) => {
    const o: SdcRow = {};
    for (const [k, v] of Object.entries(r)) o[k] = v === undefined ? null : typeof v === 'boolean' ? String(v) : (v as SdcValue);
    return Object.freeze(o);
  });
  return Object.freeze({
    kind: 'sdc-table' as const,
    rows: Object.freeze(rows),
    columns: Object.freeze(rows.length > 0 ? Object.keys(rows[0]) : []),
    countColumns: Object.freeze([]),
    rules: DEFAULT_SDC_RULES,
    note,
    suppressed: Object.freeze({ primary: 0, secondary: 0 }),
  });
}

/** x rounded to `digits` decimals with Math.round (halves round up). */
export function roundTo(x: number, digits: number): number {
  const f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}

/** True for a table that went through the disclosure-control layer (kind 'sdc-table'). */
export function isProtectedTable(x: unknown): x is ProtectedTable {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'sdc-table';
}
