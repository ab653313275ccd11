/** Factor levels as R's model.frame sees them: the level key, first present value, and sort order. */
import { isMissing } from '../core/missing';

/** The text key of a factor level: logicals as R prints them (TRUE/FALSE), Dates as ISO text, anything else String(v). */
export function levelKey(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** The first non-missing cell of a column (core/missing's rule), or undefined; tells a column's type. */
export function firstPresent(arr: ArrayLike<unknown>): unknown {
  for (let i = 0; i < arr.length; i++) if (!isMissing(arr[i])) return arr[i];
  return undefined;
}

/** Sort order of factor levels as R's factor(): numbers numerically, logicals FALSE < TRUE, else by level key (code points). */
export function compareLevels(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = levelKey(a); const sb = levelKey(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
