// Term labels from the data dictionary (src/report/dictionary) for tables shown to readers.
import { describe, expect, it } from 'vitest';
import { labelTerms, dictionaryLabels, CSC_DICTIONARY } from '../../src/report/index';
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

describe('dictionaryLabels (the labels every table renderer applies)', () => {
  const L = dictionaryLabels(CSC_DICTIONARY);
  it('labels the terms the dictionary names, interactions part by part', () => {
    expect(L.term!('deprivation')).toBe('Deprivation (per SD)');
    expect(L.term!('csc_exposureCIN')).toBe('CSC exposure: Child in need');
    expect(L.term!('idaci_decile:pandemic')).toBe('IDACI decile (per decile) × 2020/21 (pandemic year)');
    expect(L.term!('class02')).toBe('Demand class: 02');
  });
  it('leaves text that merely starts with a variable name, unknown codes and labelled text alone', () => {
    expect(L.term!('sensitivity')).toBeUndefined();
    expect(L.term!('label')).toBeUndefined();
    expect(L.term!('csc_exposureXYZ')).toBeUndefined();
    expect(L.term!('Pathway after assessment: Child in need plan')).toBeUndefined();
  });
  it('names lme4 variance columns and variable columns by their labels, and codes by the code list', () => {
    expect(L.column!('sd.deprivation')).toBe('SD (Deprivation)');
    expect(L.column!('sd.(Intercept)')).toBe('SD (intercept)');
    expect(L.column!('cor.(Intercept).deprivation')).toBe('Correlation (intercept, Deprivation)');
    expect(L.column!('csc_exposure')).toBe('CSC exposure');
    expect(L.column!('AIC')).toBeUndefined();
    expect(L.value!('csc_exposure', 'CLA')).toBe('Looked after');
    expect(L.value!('outcome', 'CLA')).toBeUndefined();
  });
});
