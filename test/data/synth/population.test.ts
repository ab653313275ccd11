/**
 * Synthetic population denominators: consistent with the generated records (area counts of
 * referrals add up to truth's referrals per census year; first referrals never exceed the
 * population), first-referral totals agree with the expected counts E behind truth.json, areas
 * nest in LAs with one IDACI decile each, and the other extracts are unchanged by the tally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRows } from '../helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSynthetic } from '../../../src/data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-pop-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));


describe('population.csv / area_counts.csv (tiny scale)', () => {
  let dir: string; let truth: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  let pop: Record<string, string>[]; let cnt: Record<string, string>[];
  beforeAll(() => {
    const g = generateSynthetic({ scale: 'tiny', seed: 5, dir: path.join(tmp, 'tiny') });
    dir = g.dir; truth = g.truth;
    pop = readCsvRows(path.join(dir, 'population.csv')); cnt = readCsvRows(path.join(dir, 'area_counts.csv'));
  });
  it('referrals per census year add up to the records (truth.referralsByCensusYear)', () => {
    for (const y of truth.censusYears as number[]) {
      const s = cnt.filter((r) => Number(r.year) === y).reduce((a, r) => a + Number(r.cin), 0);
      expect(s).toBe(truth.referralsByCensusYear[y] ?? 0);
    }
  });
  it('each area sits in one LA and one decile; first referrals ≤ population per area-year', () => {
    const areaOf = new Map<string, string>();
    for (const r of pop) {
      const k = `${r.la}|${r.idaci_decile}`;
      if (areaOf.has(r.area)) expect(areaOf.get(r.area)).toBe(k); else areaOf.set(r.area, k);
    }
    const popAY = new Map<string, number>(); const firstAY = new Map<string, number>();
    for (const r of pop) popAY.set(`${r.area}|${r.year}`, (popAY.get(`${r.area}|${r.year}`) ?? 0) + Number(r.population));
    for (const r of cnt) firstAY.set(`${r.area}|${r.year}`, (firstAY.get(`${r.area}|${r.year}`) ?? 0) + Number(r.cin_first));
    expect(areaOf.size).toBe(truth.inequality.nAreas);
    // Children referred in the year are in the population on 30 September unless born after it: allow that margin.
    for (const [k, v] of firstAY) expect(v).toBeLessThanOrEqual((popAY.get(k) ?? 0) + 3);
  });
  it('observed first referrals agree with the expected counts behind truth (Poisson, 4 SD)', () => {
    const years = truth.censusYears as number[];
    let obs = 0; let exp = 0;
    for (const y of years) {
      const popD = new Array(10).fill(0);
      for (const r of pop) if (Number(r.year) === y) popD[Number(r.idaci_decile) - 1] += Number(r.population);
      truth.inequality.firstReferralRatePer10000[y].forEach((rate: number, d: number) => { exp += rate / 1e4 * popD[d]; });
      obs += cnt.filter((r) => Number(r.year) === y).reduce((a, r) => a + Number(r.cin_first), 0);
    }
    expect(exp).toBeGreaterThan(100);
    expect(Math.abs(obs - exp)).toBeLessThan(4 * Math.sqrt(exp));
  });
  it('the truth carries the gradients the notebook checks', () => {
    const t = truth.inequality;
    expect(t.logRatePerDecile).toBeLessThan(0);
    expect(t.rii).toBeGreaterThan(0);
    expect(Number.isFinite(t.pandemicInteractionPerDecile)).toBe(true);
  });
});
