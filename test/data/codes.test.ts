import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import {
  FACTOR_HARMONISATION, HARMONISED_FACTORS, FACTOR_GROUPING, GROUPED_FACTORS, factorLabels, REFERRAL_SOURCE_CODES, PRIMARY_NEED_CODES,
  CLOSURE_REASON_CODES, CPP_CATEGORY_CODES, ETHNICITY_CODES, GENDER_CODES, FACTOR_CODES_BY_SCHEMA, harmoniseFactors, adjustedRandIndex,
} from '../../src/data';
import { CIN_CODE_LISTS, CIN_SCHEMA_YEARS, cinSchemaYearFor } from '../../src/data/codes';

const specDir = path.resolve(process.cwd(), '../shared/specs/cin-census');
function enumerations(xsd: string, typeName: string): string[] {
  const start = xsd.indexOf(`<xs:simpleType name="${typeName}"`);
  if (start < 0) throw new Error(`type ${typeName} not in schema`);
  const body = xsd.slice(start, xsd.indexOf('</xs:simpleType>', start));
  return Array.from(body.matchAll(/<xs:enumeration value="([^"]+)"/g), (m) => m[1]);
}

describe('code lists against the DfE CIN census XSDs', () => {
  const years = ['2017', '2021', '2022', '2024'];
  for (const y of years) {
    const xsd = fs.readFileSync(path.join(specDir, `CIN_schema_${y}.xsd`), 'utf8');
    it(`${y}: every assessment factor code has a harmonised mapping and the per-schema list matches`, () => {
      const codes = enumerations(xsd, 'assessmentfactorstype');
      expect(codes.length).toBeGreaterThan(35);
      for (const c of codes) expect(c in FACTOR_HARMONISATION, c).toBe(true);
      expect([...FACTOR_CODES_BY_SCHEMA[y]].sort()).toEqual([...codes].sort());
    });
    it(`${y}: referral source, primary need, closure reason, category, ethnicity and gender codes are in our lists`, () => {
      for (const c of enumerations(xsd, 'referralsourcetype')) expect(REFERRAL_SOURCE_CODES).toContain(c);
      for (const c of enumerations(xsd, 'primaryneedcodetype')) expect(c in PRIMARY_NEED_CODES, c).toBe(true);
      for (const c of enumerations(xsd, 'reasonforclosuretype')) expect(c in CLOSURE_REASON_CODES, c).toBe(true);
      for (const c of enumerations(xsd, 'categoryofabuse')) expect(c in CPP_CATEGORY_CODES, c).toBe(true);
      for (const c of enumerations(xsd, 'ethnicitytype')) expect(c in ETHNICITY_CODES, c).toBe(true);
      for (const c of enumerations(xsd, 'gendertype')) expect(c in GENDER_CODES, c).toBe(true);
    });
  }
  for (const y of years) {
    const xsd = fs.readFileSync(path.join(specDir, `CIN_schema_${y}.xsd`), 'utf8');
    it(`${y}: CIN_CODE_LISTS[${y}] is exactly the XSD's lists, element by element`, () => {
      const L = CIN_CODE_LISTS[+y];
      const same = (a: ReadonlyArray<string>, b: string[]) => expect([...a].sort()).toEqual([...b].sort());
      same(L.factors, enumerations(xsd, 'assessmentfactorstype'));
      same(L.referralSource, enumerations(xsd, 'referralsourcetype'));
      same(L.closureReason, enumerations(xsd, 'reasonforclosuretype'));
      same(L.primaryNeed, enumerations(xsd, 'primaryneedcodetype'));
      same(L.cppCategory, enumerations(xsd, 'categoryofabuse'));
      same(L.ethnicity, enumerations(xsd, 'ethnicitytype'));
      same(L.disability, enumerations(xsd, 'disabilitytype'));
      same(L.upnUnknown, enumerations(xsd, 'unknownupntype'));
      same(L.yesNo, enumerations(xsd, 'yesnotype'));
      expect(L.sexElement).toBe('GenderCurrent');
      same(L.sex, enumerations(xsd, 'gendertype'));
      const cd = xsd.slice(xsd.indexOf('<xs:complexType name="cindetailstype"'), xsd.indexOf('</xs:complexType>', xsd.indexOf('<xs:complexType name="cindetailstype"')));
      expect([...L.cinDetailsElements]).toEqual(Array.from(cd.matchAll(/<xs:element name="([^"]+)"/g), (m) => m[1]));
    });
  }
  it('schema year 2025 (2024/25 on) is the 2024 lists with <Sex> F/M/U in place of <GenderCurrent>', () => {
    const a = CIN_CODE_LISTS[2025], b = CIN_CODE_LISTS[2024];
    expect([a.sexElement, [...a.sex].sort()]).toEqual(['Sex', ['F', 'M', 'U']]);
    for (const k of ['factors', 'referralSource', 'closureReason', 'primaryNeed', 'cppCategory', 'ethnicity', 'disability', 'cinDetailsElements'] as const) expect(a[k], k).toEqual(b[k]);
  });
  it('a census year uses the latest schema year at or before it', () => {
    expect([2014, 2017, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2030].map((y) => cinSchemaYearFor(y).schemaYear)).toEqual([2017, 2017, 2017, 2021, 2022, 2022, 2024, 2025, 2025, 2025]);
    expect(cinSchemaYearFor(2014).before).toBe(true);
    expect(cinSchemaYearFor(2017).before).toBe(false);
    expect(CIN_SCHEMA_YEARS).toEqual([2017, 2021, 2022, 2024, 2025]);
  });
  it('the 2024 schema has 18B/18C, 19B/19C and 24A; 2017 has 18A/19A', () => {
    expect(FACTOR_CODES_BY_SCHEMA['2024']).toEqual(expect.arrayContaining(['18B', '18C', '19B', '19C', '24A']));
    expect(FACTOR_CODES_BY_SCHEMA['2017']).toEqual(expect.arrayContaining(['18A', '19A']));
    expect(FACTOR_CODES_BY_SCHEMA['2017']).not.toContain('24A');
  });
});

describe('factor harmonisation', () => {
  it('merges split codes, drops 21, and maps every item to a labelled group', () => {
    expect(harmoniseFactors(['18A', '18B', '18C']).items).toEqual(['18']);
    expect(harmoniseFactors(['19A', '19C']).items).toEqual(['19']);
    expect(harmoniseFactors(['8A', '8B', '8F']).items).toEqual(['8']);
    expect(harmoniseFactors(['24A', '13A']).items).toEqual(['13']);
    expect(harmoniseFactors(['21']).items).toEqual([]);
    expect(harmoniseFactors(['1A', '1B', '3c']).items).toEqual(['1A', '1B', '3C']);
    expect(harmoniseFactors(['1A', '1B', '1C'], 'grouped').items).toEqual(['alcohol']);
    expect(harmoniseFactors(['XX', '3B']).unknown).toEqual(['XX']);
    for (const h of HARMONISED_FACTORS) {
      expect(FACTOR_GROUPING[h], h).toBeTruthy();
      expect(factorLabels[h], h).toBeTruthy();
    }
    for (const g of GROUPED_FACTORS) expect(factorLabels[g], g).toBeTruthy();
    // every non-null harmonised target is an analysis item
    for (const v of Object.values(FACTOR_HARMONISATION)) if (v !== null) expect(HARMONISED_FACTORS).toContain(v);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for identical partitions up to relabelling and matches a hand-computed value', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    // a = {0,1,2},{3,4,5}; b = {0,1},{2,3},{4,5}: sum C(nij,2)=2, rows 6, cols 3, pairs 15 -> (2-1.2)/(4.5-1.2)
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo((2 - 1.2) / (4.5 - 1.2), 12);
    expect(() => adjustedRandIndex([1, 2], [1])).toThrow(/length/);
  });
});
