/** Factor levels as R's model.frame sees them: the level key, first present value, and sort order. */
import { isMissing } from '../core/missing';

export function levelKey(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function firstPresent(arr: ArrayLike<unknown>): unknown {
  for (let i = 0; i < arr.length; i++) if (!isMissing(arr[i])) return arr[i];
  return undefined;
}

export function compareLevels(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = levelKey(a); const sb = levelKey(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
