// Term labels from the data dictionary (src/report/dictionary) for tables shown to readers.
import { describe, expect, it } from 'vitest';
import { labelTerms, CSC_DICTIONARY } from '../../src/report/index';
import { variableLabel } from '../../src/report/dictionary';

describe('labelTerms for shown tables', () => {
  it('with raw: false replaces raw term names and adds no term_raw column', () => {
    const rows = labelTerms([{ term: 'csc_exposureCIN', estimate: -32.7 }, { term: 'class', chisq: 5.7 }, { term: 'GLOBAL', chisq: 29.8 }], CSC_DICTIONARY, { raw: false });
    expect(rows.map((r) => r.term)).toEqual(['CSC exposure: Child in need', 'Demand class', 'Global test (all terms)']);
    expect(Object.keys(rows[0])).toEqual(['term', 'estimate']);
  });
  it('takes rows typed by an interface without an index signature (as coxZph().table)', () => {
    interface Row { readonly term: string; readonly chisq: number }
    const typed: readonly Row[] = [{ term: 'sexM', chisq: 1 }];
    const out: Array<Row & { term: string }> = labelTerms(typed, CSC_DICTIONARY, { raw: false });
    expect(out[0].term).toBe('Sex: Male');
  });
  it('keeps the raw name in term_raw by default (figures that need it)', () => {
    expect(labelTerms([{ term: 'idaci_decile' }], CSC_DICTIONARY)[0]).toEqual({ term: 'IDACI decile (per decile)', term_raw: 'idaci_decile' });
  });
});

describe('variableLabel for the rows-dropped notes under model tables', () => {
  it('names the LCA row the class-effect models need as the demand class, as the modal models do', () => {
    expect(variableLabel('lca_row', CSC_DICTIONARY)).toBe(variableLabel('class', CSC_DICTIONARY));
    expect(variableLabel('lca_row', CSC_DICTIONARY)).toBe('Demand class');
  });
});
