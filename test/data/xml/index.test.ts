// Each XML case in ../shared/bad-extracts as a direct reader test: expect.json's conditions
// (mention, row, file, mention_all, or_kept, counts) checked on readCinXmlReturn's findings and staging.
import { describe, it, expect } from 'vitest';
import * as path from 'path';
import { readCinXmlReturn } from '../../../src/data/xml';
import { badDir, readExpect, matching } from './expect';

const read = (c: string, f: string) => readCinXmlReturn(path.join(badDir, c, f));

describe('bad extract xml_bad_row_values', () => {
  const r = read('xml_bad_row_values', 'r2022.xml');
  const exp = readExpect('xml_bad_row_values');
  it("K1's closure before referral is an exclusion at the closure line, naming K1", () => {
    const hits = matching(r.findings, exp);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).toContainEqual(expect.objectContaining({ line: 23, field: 'CINdetails/CINclosureDate', value: '2021-01-01', rule: 'date_order', action: 'excluded', childId: 'K1' }));
  });
  it("K2's GenderCurrent 7 is named with its line (the also-condition)", () => {
    const hits = matching(r.findings, exp.also![0]);
    expect(hits).toContainEqual(expect.objectContaining({ line: 54, field: 'ChildIdentifiers/GenderCurrent', value: '7', rule: 'code_list_schema_year', childId: 'K2' }));
    const k2 = r.episodes.find((e) => e.childId === 'K2')!;
    expect(k2.sex).toBe(''); // dropped, not kept as an unknown code
  });
  it('the 99Z factor is listed at its line and dropped from the assessment; accounting balances', () => {
    expect(r.findings).toContainEqual(expect.objectContaining({ line: 28, value: '99Z', rule: 'code_list_schema_year' }));
    expect(r.episodesRead).toBe(3);
    expect(r.episodes.length).toBe(2);
    expect(r.episodesExcluded).toBe(1);
    expect(r.episodes.every((e) => e.assessments.every((a) => !a.factors.includes('99Z')))).toBe(true);
  });
});

describe('bad extract xml_codes_wrong_schema_year', () => {
  const exp = readExpect('xml_codes_wrong_schema_year');
  it('2017 return: 24A, 18B, RC9 and 5D are each flagged against the 2017 code list', () => {
    const r = read('xml_codes_wrong_schema_year', 'r2017.xml');
    expect(r.schemaYear).toBe(2017);
    for (const code of exp.mention!) {
      const hits = matching(r.findings, { ...exp, mention: [code] });
      expect(hits.length, code).toBeGreaterThan(0);
      expect(hits[0].rule).toBe('code_list_schema_year');
      expect(hits[0].line).toBeGreaterThan(0);
    }
    const k1 = r.episodes.find((e) => e.childId === 'K1' && e.referral === '2016-05-04')!;
    expect(k1.referralSource).toBe('');
    expect(k1.closureReason).toBe('');
    expect(k1.assessments[0].factors).toEqual([]);
  });
  it('2024 return: retired 18A and 19A are flagged', () => {
    const r = read('xml_codes_wrong_schema_year', 'r2024.xml');
    expect(r.schemaYear).toBe(2024);
    for (const code of exp.also![0].mention!) expect(matching(r.findings, { ...exp.also![0], mention: [code] }).length, code).toBeGreaterThan(0);
    // 5D / RC9 are valid from the 2024 schema: no finding for them here
    expect(r.findings.filter((f) => f.value === '5D' || f.value === 'RC9')).toEqual([]);
  });
});

describe('bad extract xml_multiple_s47_and_plans', () => {
  const r = read('xml_multiple_s47_and_plans', 'r2022.xml');
  const exp = readExpect('xml_multiple_s47_and_plans');
  it("K1 keeps both Section 47 enquiries (with the second's ICPC) and both CIN plan periods", () => {
    const k1 = r.episodes.find((e) => e.childId === 'K1' && e.referral === '2021-05-04')!;
    const s47Kept = exp.or_kept![0].values, icpcKept = exp.or_kept![1].values;
    expect(k1.s47.map((s) => s.start).sort()).toEqual([...s47Kept].sort());
    expect(k1.s47.map((s) => s.icpc).filter(Boolean)).toEqual(icpcKept);
    const plans = exp.also![0].or_kept!;
    expect(k1.cinPlans.map((p) => p.end).filter(Boolean)).toEqual(plans[0].values);
    expect(k1.cinPlans.map((p) => p.start)).toEqual(plans[1].values);
    expect(k1.s47.map((s) => s.line)).toEqual([32, 33]);
    expect(r.findings.filter((f) => f.action === 'excluded')).toEqual([]);
  });
});

describe('bad extract xml_2025_sex_element', () => {
  const r = read('xml_2025_sex_element', 'r2025.xml');
  const exp = readExpect('xml_2025_sex_element');
  it('2024/25 return: schema year 2025, both children load with Sex F/M, nothing excluded', () => {
    expect(exp.accept).toEqual(['ok']);
    expect(r.censusYear).toBe(2025);
    expect(r.schemaYear).toBe(2025);
    expect(r.episodes.length).toBe(exp.counts!.tables!.cin);
    expect(r.episodes.reduce((s, e) => s + e.assessments.length, 0)).toBe(exp.counts!.tables!.assessments);
    expect(r.findings).toEqual([]);
    expect(r.episodes.map((e) => [e.sex, e.sexElement])).toEqual([['F', 'Sex'], ['M', 'Sex']]);
  });
});
