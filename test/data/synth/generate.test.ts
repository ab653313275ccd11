/**
 * Synthetic generator: determinism (byte-identical files for the same seed), calibration of the
 * small scale to the published targets, and round trip (generated -> loaded gives truth's counts).
 */
import { loadTables } from '../helpers';
import type { LoadedData } from '../helpers';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as crypto from 'crypto';
import { generateSynthetic, loadStudyData, buildLcaMatrix, buildSurvivalEpisodes, buildPupilLinked, type SurvivalTables } from '../../../src/data';
import { readPupilTruth } from '../../../src/data/synth/pupilTruth';
import { trueInputs } from '../../../src/report/truth/linkage';
import { PREVALENCE_TARGETS, CPP_CATEGORY_TARGETS, CPP_CATEGORIES, CLASS_SHARES } from '../../../src/data/synth/params';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-synth-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
  return out;
}

describe('determinism', () => {
  it('same seed gives byte-identical files; another seed gives different files', async () => {
    const a = generateSynthetic({ scale: 'tiny', seed: 7, dir: path.join(tmp, 'a') }).dir;
    const b = generateSynthetic({ scale: 'tiny', seed: 7, dir: path.join(tmp, 'b') }).dir;
    const c = generateSynthetic({ scale: 'tiny', seed: 8, dir: path.join(tmp, 'c') }).dir;
    const ha = hashes(a);
    expect(Object.keys(ha)).toEqual(['area_counts.csv', 'cin.csv', 'cla.csv', 'class_counts.csv', 'ks2.csv', 'ks4.csv', 'population.csv', 'pupil_truth.csv', 'pupils.csv', 'truth.json']);
    expect(hashes(b)).toEqual(ha);
    expect(hashes(c)['cin.csv']).not.toEqual(ha['cin.csv']);
  });
});

describe('codes of each census year', () => {
  it('a tiny set writes only codes its rows\' census years list: the loader\'s schema-year check finds nothing, and some 2020/21 rows carry the split 18C/19C', async () => {
    const dir = generateSynthetic({ scale: 'tiny', seed: 3, dir: path.join(tmp, 'codes') }).dir;
    const d = await loadTables({ kind: 'synthetic', scale: 'tiny', seed: 3, dir }, { store: ':memory:' });
    const all = [...d.exclusions.objects(), ...d.warnings.objects()] as Array<Record<string, unknown>>;
    expect(all.filter((r) => r.rule === 'code_list_schema_year' || r.rule === 'code_list')).toEqual([]);
    const rows = fs.readFileSync(path.join(dir, 'cin.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.some((r) => r[0] === '2021' && /(^|;)1[89]C(;|$)/.test(r[18]))).toBe(true);
  });
});

describe('small scale: calibration and round trip', () => {
  let data: LoadedData;
  let truth: any;
  let surv: SurvivalTables;
  beforeAll(async () => {
    const dir = generateSynthetic({ scale: 'small', seed: 11, dir: path.join(tmp, 'small') }).dir;
    data = await loadTables({ kind: 'synthetic', scale: 'small', seed: 11, dir });
    truth = data.truth;
    surv = (await buildSurvivalEpisodes(data));
  }, 600_000);

  it('round trip: loaded counts equal the truth counts and every row is accounted for', async () => {
    const c = truth.counts;
    expect(data.cin.numRows()).toBe(c.referrals);
    expect(data.assessments.numRows()).toBe(c.assessments);
    expect(data.cpp.numRows()).toBe(c.cpp);
    expect(data.cla.numRows()).toBe(c.cla_episodes);
    expect(data.pupils.numRows()).toBe(c.pupils);
    expect(data.ks2.numRows()).toBe(c.ks2);
    expect(data.ks4.numRows()).toBe(c.ks4);
    expect(data.exclusions.numRows()).toBe(0);
    const cinFlow = data.dataFlow.find((f) => f.source === 'cin')!;
    expect(cinFlow.rows_read).toBe(c.cin_rows);
    expect(cinFlow.duplicates_merged).toBe(c.cin_rows - c.referrals);
    for (const f of data.dataFlow) expect(f.rows_read).toBe(f.rows_analysed + f.rows_excluded + f.duplicates_merged);
    const lca = (await buildLcaMatrix(data));
    expect(lca.table.numRows()).toBe(c.lca_sample);
    const byClass = new Array(12).fill(0);
    for (const k of lca.table.array('true_class') as any) byClass[k - 1]++;
    expect(byClass).toEqual(truth.classes.lcaSampleCounts);
    expect(surv.flow.events).toBe(c.rereferrals);
    expect(surv.flow.adopted_or_died).toBe(c.adopted_closures);
    expect(surv.flow.open_at_end).toBe(c.open_at_end);
  });

  it('scale: about 650k referrals a year when scaled to the national population', async () => {
    const factor = 15_300_000 / truth.counts.population;
    for (const y of ['2017', '2018', '2019', '2020']) {
      const national = truth.referralsByCensusYear[y] * factor;
      expect(national).toBeGreaterThan(0.85 * 650_000);
      expect(national).toBeLessThan(1.15 * 650_000);
    }
    expect(truth.counts.cin_children).toBeGreaterThan(40_000);
    expect(truth.counts.cin_children).toBeLessThan(60_000);
  });

  it('class shares (before 2020/21) match the published 19.7% and 18.4% and the design', async () => {
    const lca = (await buildLcaMatrix(data, { years: [2015, 2016, 2017, 2018, 2019, 2020] }));
    const tc = lca.table.array('true_class') as any;
    const n = tc.length;
    const share = (k: number): number => { let s = 0; for (const v of tc) if (v === k) s++; return s / n; };
    expect(Math.abs(share(1) - 0.197)).toBeLessThan(0.01);
    expect(Math.abs(share(2) - 0.184)).toBeLessThan(0.01);
    for (let k = 1; k <= 12; k++) expect(Math.abs(share(k) - CLASS_SHARES[k - 1])).toBeLessThan(0.01);
    // the best achievable ARI with the true parameters allows a 12-class LCA to recover the classes
    expect(truth.classes.expectedAriTrueParameters).toBeGreaterThan(0.9);
  });

  it('factor prevalence among assessments with factors is within 2 points of DfE 2016', async () => {
    const lca = (await buildLcaMatrix(data, { grouping: 'grouped', years: [2015, 2016, 2017, 2018, 2019, 2020] }));
    const n = lca.table.numRows();
    for (const [g, target] of Object.entries(PREVALENCE_TARGETS)) {
      const col = lca.table.array(g) as any;
      let s = 0;
      for (const v of col) s += v;
      expect(Math.abs(s / n - target), g).toBeLessThan(0.02);
    }
  });

  it('2020/21: referrals dip in April-June 2020 and the class mix shifts towards domestic abuse', async () => {
    const m = truth.referralsByMonth;
    const dip = m['2020-04'] + m['2020-05'] + m['2020-06'];
    const before = m['2019-04'] + m['2019-05'] + m['2019-06'];
    expect(dip).toBeLessThan(0.9 * before);
    const pre = (await buildLcaMatrix(data, { years: [2018, 2019, 2020] })).table.array('true_class') as any;
    const pan = (await buildLcaMatrix(data, { years: [2021] })).table.array('true_class') as any;
    const s1 = (a: any): number => { let s = 0; for (const v of a) if (v === 1) s++; return s / a.length; };
    expect(s1(pan) - s1(pre)).toBeGreaterThan(0.03);
  });

  it('CPP initial category of plans open at 31 March 2019 is within 4 points of 48/35/8/4/4', async () => {
    const st = data.cpp.array('cpp_start') as any, en = data.cpp.array('cpp_end') as any, cat = data.cpp.array('initial_category') as any;
    const counts = new Map<string, number>();
    let n = 0;
    for (let i = 0; i < st.length; i++) {
      if (st[i] <= '2019-03-31' && (en[i] === null || en[i] > '2019-03-31')) { n++; counts.set(cat[i], (counts.get(cat[i]) ?? 0) + 1); }
    }
    expect(n).toBeGreaterThan(500);
    CPP_CATEGORIES.forEach((c, i) => expect(Math.abs((counts.get(c) ?? 0) / n - CPP_CATEGORY_TARGETS[i]), c).toBeLessThan(0.04));
  });

  it('re-referral: Kaplan-Meier about 30% within 12 months and 59% within 6 years; ordering of classes', async () => {
    const t = surv.episodes.array('time_days') as any, e = surv.episodes.array('event') as any;
    const km = (mask: (i: number) => boolean): ((days: number) => number) => {
      const idx = Array.from({ length: t.length }, (_, i) => i).filter(mask).sort((a, b) => t[a] - t[b]);
      return (days: number) => {
        let S = 1, atRisk = idx.length, i = 0;
        while (i < idx.length && t[idx[i]] <= days) {
          let j = i, d = 0;
          while (j < idx.length && t[idx[j]] === t[idx[i]]) { d += e[idx[j]]; j++; }
          S *= 1 - d / atRisk; atRisk -= j - i; i = j;
        }
        return 1 - S;
      };
    };
    const all = km(() => true);
    expect(Math.abs(all(365.25) - 0.30)).toBeLessThan(0.03);
    expect(Math.abs(all(6 * 365.25) - 0.59)).toBeLessThan(0.04);
    const tc = surv.episodes.array('true_class') as any;
    const f1 = (k: number): number => km((i) => tc[i] === k)(365.25);
    expect(f1(6)).toBeGreaterThan(f1(9));
    expect(f1(8)).toBeGreaterThan(f1(10));
    expect(f1(6)).toBeGreaterThan(all(365.25));
  });

  it('deprivation: children in the most deprived decile are referred far more often (rate ratio > 5 in ever-referred children)', async () => {
    const d = data.cin.dedupe('la', 'child_id').array('idaci_decile') as any;
    let d1 = 0, d10 = 0;
    for (const v of d) { if (v === 1) d1++; if (v === 10) d10++; }
    expect(d1 / d10).toBeGreaterThan(5);
    const care = data.cin.filter((r: any) => r.pathway === 'care').dedupe('la', 'child_id').array('idaci_decile') as any;
    let c1 = 0, c10 = 0;
    for (const v of care) { if (v === 1) c1++; if (v === 10) c10++; }
    expect(c1 / Math.max(1, c10)).toBeGreaterThan(5);
  });

  it('attainment marginals: KS2 RWM 65% all / 35% CIN; Att8 46.7 / 18.8 CIN / 19.1 CLA; P8 CIN -1.45', async () => {
    const k2 = (await buildPupilLinked(data, { keyStage: 2 })).table;
    const k4 = (await buildPupilLinked(data, { keyStage: 4 })).table;
    const mean = (t: any, col: string, keep: (i: number) => boolean = () => true): number => {
      const a = t.array(col);
      let s = 0, n = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== null && keep(i)) { s += a[i]; n++; }
      return s / n;
    };
    const ex2 = k2.array('csc_exposure') as any, ex4 = k4.array('csc_exposure') as any;
    expect(Math.abs(mean(k2, 'rwm_expected') - 0.65)).toBeLessThan(0.04);
    expect(Math.abs(mean(k2, 'rwm_expected', (i) => ex2[i] === 'CIN') - 0.35)).toBeLessThan(0.05);
    expect(Math.abs(mean(k4, 'att8') - 46.7)).toBeLessThan(1.5);
    expect(Math.abs(mean(k4, 'att8', (i) => ex4[i] === 'CIN') - 18.8)).toBeLessThan(2);
    expect(Math.abs(mean(k4, 'att8', (i) => ex4[i] === 'CLA') - 19.1)).toBeLessThan(3);
    expect(Math.abs(mean(k4, 'p8', (i) => ex4[i] === 'CIN') + 1.45)).toBeLessThan(0.15);
    // "risks outside the home" classes worst among exposed pupils
    const tc = k4.array('true_class') as any;
    const byClass = (k: number): number => mean(k4, 'att8', (i) => tc[i] === k);
    for (const k of [1, 2, 9, 10, 12]) { expect(byClass(5)).toBeLessThan(byClass(k)); expect(byClass(6)).toBeLessThan(byClass(k)); }
  });

  it('pupil truth: linked exposure and class equal the generator\'s except where linkage is missing (about 4% of exposed pupils)', async () => {
    const pt = readPupilTruth(path.join(tmp, 'small'));
    for (const ks of [2, 4] as const) {
      const t = (await buildPupilLinked(data, { keyStage: ks })).table;
      expect(pt.n[ks]).toBe(t.numRows());
      const inputs = trueInputs(t, pt, ks);
      expect(inputs.contradicted).toBe(0);
      const obsClass = t.array('true_class') as ArrayLike<number>; const obs = t.array('csc_exposure') as ArrayLike<string>;
      let classDiffers = 0;
      for (let i = 0; i < t.numRows(); i++) if (obs[i] !== 'none' && String(obsClass[i]) !== inputs.trueClass[i]) classDiffers++;
      expect(classDiffers).toBe(0);
      const lost = inputs.unlinked / inputs.exposed;
      expect(lost).toBeGreaterThan(0.02);
      expect(lost).toBeLessThan(0.06);
    }
  });
});
