/**
 * The one dense-matrix shape the numeric core passes around: row-major Float64Array.
 * Matrix-level APIs accept either this or number[][] (rows × columns) and convert once
 * at the boundary, so hot loops index a flat typed array.
 */
export interface DenseMatrix {
  readonly nrow: number;
  readonly ncol: number;
  /** Row-major: element (i, j) is data[i * ncol + j]. */
  readonly data: Float64Array;
}

export type MatrixInput = DenseMatrix | ReadonlyArray<ArrayLike<number>>;

/** True for a { nrow, ncol, data: Float64Array } object (the library's dense row-major matrix). */
export function isDenseMatrix(x: unknown): x is DenseMatrix {
  return typeof x === 'object' && x !== null && (x as DenseMatrix).data instanceof Float64Array
    && typeof (x as DenseMatrix).nrow === 'number' && typeof (x as DenseMatrix).ncol === 'number';
}

/**
 * Converts number[][] (rows × columns) to a DenseMatrix; passes a DenseMatrix through.
 * `expectedRows`, when given, is checked so that a mis-shaped x fails here with a clear message.
 */
export function toDense(x: MatrixInput, what = 'x', expectedRows?: number): DenseMatrix {
  let m: DenseMatrix;
  if (isDenseMatrix(x)) {
    if (x.data.length !== x.nrow * x.ncol) {
      throw new Error(`${what}: data length ${x.data.length} is not nrow × ncol = ${x.nrow} × ${x.ncol}`);
    }
    m = x;
  } else {
    const nrow = x.length;
    const ncol = nrow > 0 ? x[0].length : 0;
    const data = new Float64Array(nrow * ncol);
    for (let i = 0; i < nrow; i++) {
      const row = x[i];
      if (row.length !== ncol) throw new Error(`${what}: row ${i + 1} has ${row.length} columns, expected ${ncol}`);
      for (let j = 0; j < ncol; j++) data[i * ncol + j] = row[j];
    }
    m = { nrow, ncol, data };
  }
  if (expectedRows !== undefined && m.nrow !== expectedRows) {
    throw new Error(`${what}: has ${m.nrow} rows, expected ${expectedRows}`);
  }
  return m;
}

/** A row-major DenseMatrix (nrow × columns.length) from column arrays. Errors: a column of the wrong length. */
export function denseFromColumns(columns: ReadonlyArray<ArrayLike<number>>, nrow: number): DenseMatrix {
  const ncol = columns.length;
  const data = new Float64Array(nrow * ncol);
  for (let j = 0; j < ncol; j++) {
    const col = columns[j];
    if (col.length !== nrow) throw new Error(`column ${j} has length ${col.length}, expected ${nrow}`);
    for (let i = 0; i < nrow; i++) data[i * ncol + j] = col[i];
  }
  return { nrow, ncol, data };
}

/**
 * The rows of a row-major nrow × ncol matrix (ncol defaults to nrow: a square one such as a
 * covariance) as number[][], the shape results carry for display and JSON. Reads only the first
 * nrow · ncol values of `data`.
 */
export function toRows(data: Float64Array, nrow: number, ncol = nrow): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < nrow; i++) out.push(Array.from(data.subarray(i * ncol, (i + 1) * ncol)));
  return out;
}
