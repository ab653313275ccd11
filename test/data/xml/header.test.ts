// Unseen variants of the schema-year kinds: returns of years not among the bad extracts, each code
// checked against its own year's list, the sex element by year, and the header's year choices.
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import { readCinXmlReturn } from '../../../src/data/xml';
import { DataError } from '../../../src/data/errors';
import { tmpDir, header, details, writeReturn, lineOfText } from './build';

afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

const assess = (start: string, ...codes: string[]) => [
  '<Assessments>', `  <AssessmentActualStartDate>${start}</AssessmentActualStartDate>`, '  <FactorsIdentifiedAtAssessment>',
  ...codes.map((c) => `    <AssessmentFactors>${c}</AssessmentFactors>`), '  </FactorsIdentifiedAtAssessment>', '</Assessments>',
];

describe('schema year of a return', () => {
  it('a 2025/26 return (Year 2026) uses the 2025 lists: <Sex> F/M/U read, U accepted, nothing flagged', () => {
    const f = writeReturn('r2026.xml', header('2026', '2026-03-31'), [
      { id: 'A', sexElement: 'Sex', sex: 'M', details: [details('2025-05-01', ...assess('2025-05-02', '24A', '18C'))] },
      { id: 'B', sexElement: 'Sex', sex: 'U', details: [details('2025-06-01', '<ReferralSource>5D</ReferralSource>', '<ReasonForClosure>RC9</ReasonForClosure>', '<CINclosureDate>2025-07-01</CINclosureDate>')] },
    ]);
    const r = readCinXmlReturn(f);
    expect([r.censusYear, r.schemaYear]).toEqual([2026, 2025]);
    expect(r.findings).toEqual([]);
    expect(r.episodes.map((e) => e.sex)).toEqual(['M', 'U']);
    expect(r.episodes[0].assessments[0].factors).toEqual(['24A', '18C']);
  });

  it('a 2026 return with GenderCurrent is read with the GenderCurrent list and warned about; Sex 1 is not a Sex code', () => {
    const f = writeReturn('r2026g.xml', header('2026', null), [
      { id: 'A', sexElement: 'GenderCurrent', sex: '1', details: [details('2025-05-01')] },
      { id: 'B', sexElement: 'Sex', sex: '1', details: [details('2025-05-02')] },
    ]);
    const r = readCinXmlReturn(f);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'sex_element_schema_year', childId: 'A', line: lineOfText(f, '<GenderCurrent>'), action: 'warning' }));
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'code_list_schema_year', field: 'ChildIdentifiers/Sex', value: '1', childId: 'B', line: lineOfText(f, '<Sex>') }));
    expect(r.episodes.map((e) => [e.childId, e.sex, e.sexElement])).toEqual([['A', '1', 'GenderCurrent'], ['B', '', 'Sex']]);
  });

  it('a 2024 return (2023/24) with <Sex> is flagged: the 2024 schema carries GenderCurrent', () => {
    const f = writeReturn('r2024s.xml', header('2024', '2024-03-31'), [{ id: 'A', sexElement: 'Sex', sex: 'F', details: [details('2023-05-01')] }]);
    const r = readCinXmlReturn(f);
    expect(r.schemaYear).toBe(2024);
    expect(r.findings.map((x) => x.rule)).toEqual(['sex_element_schema_year']);
    expect(r.episodes[0].sex).toBe('F');
  });

  it('a 2021 return with 2024-only codes (5D, RC9) and 2022-only 24A: all flagged at their lines; 18B is valid in 2021', () => {
    const f = writeReturn('r2021.xml', header('2021', '2021-03-31'), [{
      id: 'K9', details: [details('2020-06-01', '<ReferralSource>5D</ReferralSource>', '<CINclosureDate>2020-09-01</CINclosureDate>', '<ReasonForClosure>RC9</ReasonForClosure>', ...assess('2020-06-02', '24A', '18B', '18A'))],
    }]);
    const r = readCinXmlReturn(f);
    expect(r.schemaYear).toBe(2021);
    const flagged = r.findings.filter((x) => x.rule === 'code_list_schema_year').map((x) => [x.value, x.line]);
    expect(flagged).toEqual([
      ['5D', lineOfText(f, '5D')], ['RC9', lineOfText(f, 'RC9')], ['24A', lineOfText(f, '>24A<')], ['18A', lineOfText(f, '>18A<')],
    ]);
    expect(r.episodes[0].assessments[0].factors).toEqual(['18B']);
  });

  it('the same codes in a 2023 return (schema 2022): 24A valid, 5D and RC9 still not', () => {
    const f = writeReturn('r2023.xml', header(null, '2023-03-31'), [{
      id: 'K9', details: [details('2022-06-01', '<ReferralSource>5D</ReferralSource>', '<CINclosureDate>2022-09-01</CINclosureDate>', '<ReasonForClosure>RC9</ReasonForClosure>', ...assess('2022-06-02', '24A'))],
    }]);
    const r = readCinXmlReturn(f);
    expect([r.censusYear, r.schemaYear]).toEqual([2023, 2022]);
    expect(r.findings.map((x) => x.value).sort()).toEqual(['5D', 'RC9']);
  });

  it('a 2015 return is read with the 2017 lists and says so; Year/ReferenceDate disagreement is a warning', () => {
    const f = writeReturn('r2015.xml', header('2015', '2016-03-31'), [{ id: 'A', details: [details('2014-06-01', ...assess('2014-06-02', '18A'))] }]);
    const r = readCinXmlReturn(f);
    expect([r.censusYear, r.schemaYear]).toEqual([2015, 2017]);
    expect(r.findings.map((x) => x.rule).sort()).toEqual(['census_year_mismatch', 'schema_year_before_first']);
    expect(r.findings[0].line).toBe(lineOfText(f, '<Year>'));
  });

  it('options.schemaYear forces a code list', () => {
    const f = writeReturn('r2021b.xml', header('2021', null), [{ id: 'A', details: [details('2020-06-01', ...assess('2020-06-02', '18A'))] }]);
    expect(readCinXmlReturn(f, { schemaYear: 2017 }).findings).toEqual([]);
    expect(readCinXmlReturn(f).findings.map((x) => x.value)).toEqual(['18A']);
    expect(() => readCinXmlReturn(f, { schemaYear: 2019 })).toThrow(/schemaYear 2019/);
  });
});

describe('a header that cannot place the return is one DataError naming file, field and line', () => {
  const expectError = (f: string, field: string, line: number | null, message: RegExp) => {
    try {
      readCinXmlReturn(f);
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      const d = e as DataError;
      expect(d.message).toMatch(message);
      expect([d.file, d.field, d.row]).toEqual([f, field, line]);
      return;
    }
    throw new Error(`${f}: no DataError`);
  };
  it('no Year and no ReferenceDate', () => {
    const f = writeReturn('h-none.xml', header(null, null), [{ id: 'A', details: [details('2020-05-01')] }]);
    expectError(f, 'Header/CollectionDetails/Year', lineOfText(f, '<CollectionDetails>'), /needs Year or ReferenceDate/);
  });
  it('a Year that is not a census year (two digits, or out of range)', () => {
    for (const y of ['21', '1899', '20201']) {
      const f = writeReturn(`h-year-${y}.xml`, header(y, null), [{ id: 'A', details: [details('2020-05-01')] }]);
      expectError(f, 'Header/CollectionDetails/Year', lineOfText(f, '<Year>'), new RegExp(`Year '${y}' is not a census year`));
    }
  });
  it('a ReferenceDate that is not an ISO day', () => {
    for (const d of ['31/03/2021', '2021-02-30']) {
      const f = writeReturn(`h-ref-${d.replace(/\//g, '')}.xml`, header(null, d), [{ id: 'A', details: [details('2020-05-01')] }]);
      expectError(f, 'Header/CollectionDetails/ReferenceDate', lineOfText(f, '<ReferenceDate>'), /is not an ISO date/);
    }
  });
  it('no LEA', () => {
    const f = writeReturn('h-nolea.xml', header('2021', null, ''), [{ id: 'A', details: [details('2020-05-01')] }]);
    expectError(f, 'Header/Source/LEA', lineOfText(f, '<Source>'), /LEA .* is missing/);
  });
  it('ReferenceDate alone places the return in the census year (ending 31 March) that holds it', () => {
    const a = readCinXmlReturn(writeReturn('h-ref-a.xml', header(null, '2021-03-31'), [{ id: 'A', details: [details('2020-05-01')] }]));
    const b = readCinXmlReturn(writeReturn('h-ref-b.xml', header(null, '2021-04-01'), [{ id: 'A', details: [details('2020-05-01')] }]));
    expect([a.censusYear, b.censusYear]).toEqual([2021, 2022]);
  });
  it('a schemaYear option the code lists do not hold is refused', () => {
    const f = writeReturn('h-opt.xml', header('2021', null), [{ id: 'A', details: [details('2020-05-01')] }]);
    expect(() => readCinXmlReturn(f, { schemaYear: 2001 })).toThrow(/schemaYear 2001 is not one of/);
  });
});
