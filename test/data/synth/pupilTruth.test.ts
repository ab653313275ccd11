// Reading the generator's pupil truth (src/data/synth/pupilTruth): the true CSC exposure and class of
// each KS result, looked up by PMR and year; malformed files are named by line.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { pmrNumber, pupilTruthFor, readPupilTruth } from '../../../src/data/synth/pupilTruth';
import { PUPIL_TRUTH_FILE, PUPIL_TRUTH_HEADER } from '../../../src/data/synth/headers';

const write = (lines: string[]) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'g03-pt-'));
  fs.writeFileSync(path.join(dir, PUPIL_TRUTH_FILE), [PUPIL_TRUTH_HEADER.join(','), ...lines].join('\n') + '\n');
  return dir;
};

describe('readPupilTruth', () => {
  it('looks up each KS result by PMR and year; other pupils, years and key stages give -1', () => {
    const dir = write(['P000000002,2,2016,CIN,7', 'P000000002,4,2021,CLA,3', 'P000000010,4,2019,none,0', 'P000000011,4,2019,CPP,12']);
    const t = readPupilTruth(dir);
    expect(t.n).toEqual({ 2: 1, 4: 3 });
    expect([t.level(2, 'P000000002', 2016), t.trueClass(2, 'P000000002', 2016)]).toEqual([1, 7]);
    expect([t.level(4, 'P000000002', 2021), t.trueClass(4, 'P000000002', 2021)]).toEqual([3, 3]);
    expect([t.level(4, 'P000000010', 2019), t.level(4, 'P000000011', 2019), t.trueClass(4, 'P000000011', 2019)]).toEqual([0, 2, 12]);
    expect(t.level(4, 'P000000002', 2020)).toBe(-1); // wrong year
    expect(t.level(2, 'P000000010', 2019)).toBe(-1); // no KS2 result
    expect(t.level(4, 'P000000003', 2019)).toBe(-1); // between rows
    expect(t.level(4, 'P999999999', 2019)).toBe(-1); // beyond the last
    expect(t.level(4, 'X1', 2019)).toBe(-1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('names a missing file, a wrong header and a malformed line', () => {
    expect(() => readPupilTruth(path.join(os.tmpdir(), 'g03-no-such-dir'))).toThrow(/pupil_truth.csv not found.*regenerate/);
    const bad = write(['P1,4,2019,CIN,1', 'P2,4,2019,LAC,1']);
    expect(() => readPupilTruth(bad)).toThrow(/line 3: csc_exposure must be none, CIN, CPP or CLA/);
    fs.writeFileSync(path.join(bad, PUPIL_TRUTH_FILE), 'pmr,ks\nP1,4\n');
    expect(() => readPupilTruth(bad)).toThrow(/header/);
    const ks = write(['P1,3,2019,CIN,1']);
    expect(() => readPupilTruth(ks)).toThrow(/line 2: key_stage 3/);
  });
  it('pmrNumber reads P<digits> only; pupilTruthFor is undefined for real data', () => {
    expect([pmrNumber('P000000123'), pmrNumber('P'), pmrNumber('Q12'), pmrNumber('P1a')]).toEqual([123, -1, -1, -1]);
    expect(pupilTruthFor({ kind: 'extracts', files: { cin: 'x.csv' } })).toBeUndefined();
  });
});
