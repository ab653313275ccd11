import { describe, it, expect } from 'vitest';
import { CSC_DICTIONARY } from '../../src/report/dictionaries';
import { labelTerm, variableLabel, levelLabel } from '../../src/report/dictionary';

describe('CSC_DICTIONARY', () => {
  it('labels the study variables in words (no raw column names reach a reader)', () => {
    for (const [name, entry] of Object.entries(CSC_DICTIONARY)) {
      expect(entry.label, name).not.toBe(name);
      expect(entry.label, name).not.toMatch(/_/);
    }
  });
  it('DfE codes: SEN provision N / K / E, CSC exposure levels, 0/1 flags as No / Yes', () => {
    expect(levelLabel('sen', 'K', CSC_DICTIONARY)).toBe('SEN support');
    expect(levelLabel('sen', 'E', CSC_DICTIONARY)).toBe('EHC plan');
    expect(levelLabel('fsm', '1', CSC_DICTIONARY)).toBe('Yes');
    expect(levelLabel('eal', '0', CSC_DICTIONARY)).toBe('No');
    expect(levelLabel('csc_exposure', 'CLA', CSC_DICTIONARY)).toBe('Looked after');
    expect(levelLabel('pathway', 'CPP', CSC_DICTIONARY)).toBe('Child protection plan');
  });
  it('the BCH models\' lca_row reads as the modal models\' class', () => {
    expect(variableLabel('lca_row', CSC_DICTIONARY)).toBe(variableLabel('class', CSC_DICTIONARY));
  });
  it('labels model terms built from its variables', () => {
    const t = labelTerm('pathwayCPP', CSC_DICTIONARY, ['pathway']);
    expect(JSON.stringify(t)).toContain('Child protection plan');
  });
});
