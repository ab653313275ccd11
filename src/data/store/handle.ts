/**
 * The open store behind a StudyData, kept out of the data object itself (which stays a plain frozen
 * record): the analysis-table builders query it by SQL. A file store is open read-only, so several
 * notebooks can hold it at once; a ':memory:' store lives as long as its StudyData.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { DataError } from '../errors';
import type { Store } from './db';
import { ident, lit } from './db';
import { readColumns } from './columns';

const stores = new WeakMap<object, Store>();

export function attachStore(data: object, store: Store): void {
  stores.set(data, store);
}

/** the store of a StudyData from loadStudyData; DataError for anything else */
export function storeOf(data: object, what: string): Store {
  // an object derived from a StudyData (Object.create(data), e.g. with tables added) finds it too
  let s: Store | undefined;
  for (let o: object | null = data; o && !s; o = Object.getPrototypeOf(o) as object | null) s = stores.get(o);
  if (!s) throw new DataError(`${what}: data must come from loadStudyData (it carries the study store the tables are built from)`);
  return s;
}

const TABLES = new Set(['cin', 'assessments', 'cpp', 'cla', 'ks2', 'ks4', 'pupils', 's47', 'cin_plans']);

/** a store table (helper columns starting with '_' left out) as an arquero table of typed / string columns */
export async function storeTable(store: Store, name: string, columns?: string[]): Promise<ColumnTable> {
  if (!TABLES.has(name)) throw new DataError(`data.table: unknown table '${name}'; tables: ${[...TABLES].join(', ')}`);
  const info = await store.columns(`SELECT column_name FROM information_schema.columns WHERE table_name = ${lit(name)} ORDER BY ordinal_position`);
  const have = (info.column_name as string[]).filter((c) => !c.startsWith('_'));
  const wanted = columns ?? have;
  const missing = wanted.filter((c) => !have.includes(c));
  if (missing.length) throw new DataError(`data.table('${name}'): no column ${missing.join(', ')}; columns: ${have.join(', ')}`);
  const { columns: cols } = await readColumns(store, `SELECT ${wanted.map((c) => `${ident(c)}`).join(', ')} FROM ${name} ORDER BY rowid`);
  return aq.table(cols as Record<string, ArrayLike<unknown>>);
}
