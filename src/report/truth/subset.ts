// A row subset of a table with extra derived columns, as a TableLike the model wrappers accept. Used to fit
// the generating specification (true class as a factor) without arquero expressions in the library.
import type { TableLike } from '../../formula/design';

/** A TableLike view of the rows where keep(row) is true, with extra computed columns (row → value); columns are read lazily and cached. */
export function subsetTable(table: TableLike, keep: (row: number) => boolean, extra: Record<string, (row: number) => unknown> = {}): TableLike {
  const idx: number[] = [];
  for (let i = 0; i < table.numRows(); i++) if (keep(i)) idx.push(i);
  const cache = new Map<string, unknown[]>();
  const names = [...table.columnNames(), ...Object.keys(extra).filter((k) => !table.columnNames().includes(k))];
  return {
    numRows: () => idx.length,
    columnNames: () => names.slice(),
    array(name: string): ArrayLike<unknown> {
      let a = cache.get(name);
      if (!a) {
        const f = extra[name];
        if (f) a = idx.map(f);
        else {
          if (!table.columnNames().includes(name)) throw new Error(`subsetTable: column "${name}" not found`);
          const src = table.array(name);
          a = idx.map((i) => src[i]);
        }
        cache.set(name, a);
      }
      return a;
    },
  };
}

/** Values of `column` on rows where `where` holds, as numbers (non-numbers dropped). */
export function numericWhere(table: TableLike, column: string, where: (row: number) => boolean = () => true): Float64Array {
  const v = table.array(column);
  const out: number[] = [];
  for (let i = 0; i < table.numRows(); i++) if (where(i) && typeof v[i] === 'number' && Number.isFinite(v[i] as number)) out.push(v[i] as number);
  return Float64Array.from(out);
}
