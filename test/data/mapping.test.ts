import { describe, it, expect } from 'vitest';
import { NPD_MAPPING } from '../../src/data/mapping';
import { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER } from '../../src/data/synth/headers';

/** Every source column name a mapping block reads (plain names, and the columns of list/month-year specs). */
function sourceColumns(block: object): string[] {
  const out: string[] = [];
  for (const v of Object.values(block)) {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'style' && k !== 'delimiter' && typeof x === 'string') out.push(x);
  }
  return out;
}

describe('NPD_MAPPING', () => {
  const files = { cin: CIN_HEADER, cla: CLA_HEADER, pupils: PUPILS_HEADER, ks2: KS2_HEADER, ks4: KS4_HEADER } as const;
  for (const [file, header] of Object.entries(files)) {
    it(`${file}: reads exactly the columns the synthetic generator writes, each once`, () => {
      const cols = sourceColumns((NPD_MAPPING as unknown as Record<string, object>)[file]);
      expect(new Set(cols).size).toBe(cols.length);
      expect([...cols].sort()).toEqual([...header].sort());
    });
  }
  it('the CIN factors are a ";"-separated list and birth is month + year (NPD holds no day of birth)', () => {
    const cin = NPD_MAPPING.cin as unknown as Record<string, any>;
    expect(cin.factors).toEqual({ style: 'list', column: 'CIN_FactorsIdentifiedAtAssessment', delimiter: ';' });
    expect(cin.birth).toEqual({ style: 'month-year', month: 'CIN_MonthOfBirth', year: 'CIN_YearOfBirth' });
  });
  it('is frozen, so a study cannot change the default under another', () => {
    expect(Object.isFrozen(NPD_MAPPING)).toBe(true);
    expect(() => { (NPD_MAPPING as any).cin = {}; }).toThrow();
  });
});
