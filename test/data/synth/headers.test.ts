import { describe, it, expect } from 'vitest';
import { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER, PUPIL_TRUTH_FILE, PUPIL_TRUTH_HEADER } from '../../../src/data/synth/headers';

describe('synthetic extract headers', () => {
  it('no file repeats a column name', () => {
    for (const h of [CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER, PUPIL_TRUTH_HEADER]) expect(new Set(h).size).toBe(h.length);
  });
  it('CIN census columns carry the NPD CIN_ prefix; only the synthetic truth column is SYN_', () => {
    expect(CIN_HEADER.filter((c) => !c.startsWith('CIN_'))).toEqual(['SYN_TrueClass']);
    // the CIN census items the study reads (DfE CIN census guide names)
    for (const c of ['CIN_CINreferralDate', 'CIN_CINclosureDate', 'CIN_ReasonForClosure', 'CIN_PrimaryNeedCode', 'CIN_CPPstartDate', 'CIN_InitialCategoryOfAbuse']) expect(CIN_HEADER).toContain(c);
  });
  it('SSDA903 episode and header items by their DfE names', () => {
    for (const c of ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC']) expect(CLA_HEADER).toContain(c);
  });
  it('KS2 / KS4 columns carry their key-stage prefix and the pupil matching reference', () => {
    expect(KS2_HEADER.every((c) => c.startsWith('KS2_'))).toBe(true);
    expect(KS4_HEADER.every((c) => c.startsWith('KS4_'))).toBe(true);
    expect(KS2_HEADER[0]).toBe('KS2_PupilMatchingRefAnonymous');
    expect(KS4_HEADER[0]).toBe('KS4_PupilMatchingRefAnonymous');
    expect(PUPILS_HEADER[0]).toBe('PupilMatchingRefAnonymous');
  });
  it('pupil truth is a CSV keyed by pmr and key stage', () => {
    expect(PUPIL_TRUTH_FILE.endsWith('.csv')).toBe(true);
    expect(PUPIL_TRUTH_HEADER.slice(0, 2)).toEqual(['pmr', 'key_stage']);
  });
});
