// summaryTables (src/display/summaryTables): groupSummary with group labels shows the labels, in
// the labels' order (the factor's own order), not the codes sorted alphabetically.
import { describe, expect, it } from 'vitest';
import { groupSummary } from '../../src/display/summaryTables';
import { CSC_DICTIONARY } from '../../src/report/dictionaries';

describe('groupSummary group labels', () => {
  it('rows read "No CSC contact, Child in need, Child protection plan, Looked after", then All', () => {
    const codes = ['CIN', 'CLA', 'CPP', 'none'];
    const rows = Array.from({ length: 400 }, (_, i) => ({ csc_exposure: codes[i % 4], y: (i * 7) % 13 }));
    const t = groupSummary(rows, { group: 'csc_exposure', means: ['y'], groupLabels: CSC_DICTIONARY.csc_exposure.levels });
    expect(t.rows.map((r) => r.csc_exposure)).toEqual(['No CSC contact', 'Child in need', 'Child protection plan', 'Looked after', 'All']);
    expect(t.rows.map((r) => r.pupils)).toEqual([100, 100, 100, 100, 400]);
  });
  it('without labels, codes stay sorted as before', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ g: ['b', 'a'][i % 2], y: i }));
    expect(groupSummary(rows, { group: 'g', means: ['y'] }).rows.map((r) => r.g)).toEqual(['a', 'b', 'All']);
  });
});
