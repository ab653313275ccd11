// Differencing on seen tables: a suppressed cell that follows from a shown total, or that another
// output shows. Tables are written as SeenTable values, as the table check hands them over.
import { describe, it, expect } from 'vitest';
import { checkDifferencing } from '../../../src/display/checker/differencing';
import type { SeenTable, ColumnKind } from '../../../src/display/checker/tables';
import { collector } from './helpers';

const S = 'suppressed' as const;
const seen = (output: string, columns: string[], kinds: ColumnKind[], rows: Array<[string, ...Array<number | 'suppressed' | null>]>): SeenTable =>
  ({ output, columns, kinds, labels: rows.map((r) => r[0]), values: rows.map((r) => [null, ...r.slice(1)] as Array<number | 'suppressed' | null>) });

describe('checkDifferencing', () => {
  it('one hidden count beside a shown Total follows by subtraction', () => {
    const c = collector();
    checkDifferencing([{ table: seen('o1', ['area', 'n'], ['other', 'count'], [['North', 120], ['South', S], ['Total', 130]]), report: c.report }]);
    expect(c.said.map((s) => [s.kind, s.value])).toEqual([['differencing', 'South']]);
    expect(c.said[0].detail).toContain('"Total" row minus the shown rows');
  });
  it('two hidden cells beside a total do not follow (secondary suppression did its job)', () => {
    const c = collector();
    checkDifferencing([{ table: seen('o1', ['area', 'n'], ['other', 'count'], [['North', S], ['South', S], ['East', 60], ['All', 130]]), report: c.report }]);
    expect(c.said).toEqual([]);
  });
  it('one hidden cell with a suppressed total does not follow', () => {
    const c = collector();
    checkDifferencing([{ table: seen('o1', ['area', 'n'], ['other', 'count'], [['North', 120], ['South', S], ['Total', S]]), report: c.report }]);
    expect(c.said).toEqual([]);
  });
  it('a hidden mean follows only when its group size is shown in its row', () => {
    const withN = collector();
    checkDifferencing([{ table: seen('o', ['g', 'n', 'mean y'], ['other', 'count', 'mean'], [['a', 60, 3.2], ['b', 30, S], ['All', 90, 3.5]]), report: withN.report }]);
    expect(withN.said.map((s) => s.value)).toEqual(['b']);
    const noN = collector();
    checkDifferencing([{ table: seen('o', ['g', 'mean y'], ['other', 'mean'], [['a', 3.2], ['b', S], ['All', 3.5]]), report: noN.report }]);
    expect(noN.said).toEqual([]);
  });
  it('a cell hidden here and shown in another output is reported, matching labels and headers loosely', () => {
    const a = collector(); const b = collector();
    checkDifferencing([
      { table: seen('cell 2 output 1', ['area', 'n'], ['other', 'count'], [['North', S], ['South', S], ['East', 60]]), report: a.report },
      { table: seen('cell 5 output 1', ['Area', ' N '], ['other', 'count'], [['north ', 25], ['West', 80]]), report: b.report },
    ]);
    expect(a.said.map((s) => [s.kind, s.value])).toEqual([['differencing', 'North']]);
    expect(a.said[0].detail).toContain('shown in cell 5 output 1');
    expect(b.said).toEqual([]);
  });
  it('a total shown in another output lets a single hidden cell here be recovered', () => {
    const a = collector(); const b = collector();
    checkDifferencing([
      { table: seen('o1', ['area', 'n'], ['other', 'count'], [['North', 120], ['South', S]]), report: a.report },
      { table: seen('o2', ['area', 'n'], ['other', 'count'], [['Total', 130]]), report: b.report },
    ]);
    expect(a.said.map((s) => s.value)).toEqual(['South']);
    expect(a.said[0].detail).toContain('the total in o2');
  });
  it('columns that are not counts, means or percentages are not judged', () => {
    const c = collector();
    checkDifferencing([{ table: seen('o', ['g', 'estimate'], ['other', 'other'], [['a', 1.2], ['b', S], ['Total', 3]]), report: c.report }]);
    expect(c.said).toEqual([]);
  });
});
