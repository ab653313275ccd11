// Parameter recovery: data generated with known effects must PASS; the same data judged against a
// wrong truth (one effect shifted) must FAIL, so the checks can fail.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { createRng } from '../../../src/core/random';
import { km } from '../../../src/survival/index';
import { attainmentTruthChecks, rereferralTruthChecks } from '../../../src/report/truth/index';

function episodes(n: number, seed: number) {
  const rng = createRng(seed);
  const b = { cls: { 1: 0, 2: 0.5, 3: -0.4 } as Record<string, number>, pathway: { CIN: 0.3, CPP: -0.2 } as Record<string, number>, sex: { M: 0.1 }, eth: { Asian: -0.2 } as Record<string, number>, age: -0.03, idaci: 0.04, prior: 0.2 };
  const cols: Record<string, unknown[]> = { true_class: [], pathway: [], sex: [], ethnic_group: [], age_at_closure: [], idaci_decile: [], prior_referrals: [], la: [], time_years: [], event: [] };
  for (let i = 0; i < n; i++) {
    const c = 1 + rng.nextInt(3); const p = ['NFA', 'CIN', 'CPP'][rng.nextInt(3)]; const s = rng.nextFloat() < 0.5 ? 'F' : 'M';
    const e = rng.nextFloat() < 0.7 ? 'White' : 'Asian'; const age = rng.nextInt(17); const d = 1 + rng.nextInt(10); const pr = rng.nextInt(4);
    const la = rng.nextInt(5);
    const lp = b.cls[c] + (b.pathway[p] ?? 0) + (s === 'M' ? b.sex.M : 0) + (b.eth[e] ?? 0) + b.age * age + b.idaci * d + b.prior * pr;
    const t = -Math.log(1 - rng.nextFloat()) / (0.35 * (1 + 0.1 * la) * Math.exp(lp));
    const cens = 8 * rng.nextFloat();
    Object.entries({ true_class: c, pathway: p, sex: s, ethnic_group: e, age_at_closure: age, idaci_decile: d, prior_referrals: pr, la: 'LA' + la, time_years: Math.min(t, cens), event: t <= cens ? 1 : 0 })
      .forEach(([k, v]) => cols[k].push(v));
  }
  const truth = { rereferralCox: { trueClass: b.cls, pathway: b.pathway, sex: b.sex, ethnicGroup: b.eth, ageAtClosurePerYear: b.age, idaciDecilePerDecile: b.idaci, priorReferralsPerReferral: b.prior } };
  return { table: aq.table(cols), truth };
}

describe('rereferralTruthChecks', () => {
  const { table, truth } = episodes(3000, 7);
  const overall = km(table, { time: 'time_years', event: 'event' }).curves[0];
  it('covers the generating log-HRs; fails when the truth is wrong', () => {
    const rep = rereferralTruthChecks(truth, { episodes: table, overall });
    const cover = rep.checks[0];
    expect(cover.pass).toBe(true);
    expect(rep.coverage!.rows.length).toBe(9); // 2 class + 2 pathway + sex + ethnic group + 3 numeric
    const wrong = { rereferralCox: { ...truth.rereferralCox, pathway: { CIN: 1.3, CPP: 0.8 }, sex: { M: 1.1 }, ethnicGroup: { Asian: 0.8 } } };
    const bad = rereferralTruthChecks(wrong, { episodes: table, overall });
    expect(bad.checks[0].pass).toBe(false);
    expect(bad.table.rows[0].result).toBe('FAIL');
    expect(() => bad.assert()).toThrow(/log-HRs/);
  });
  it('skips on real data', () => {
    expect(rereferralTruthChecks(undefined, { episodes: table, overall }).skipped).toBe(true);
  });
  it('names a missing truth block', () => {
    expect(() => rereferralTruthChecks({}, { episodes: table, overall })).toThrow(/rereferralCox/);
  });
});

describe('attainmentTruthChecks', () => {
  const rng = createRng(3);
  const fx = { csc_exposure: { CIN: -10, CPP: -12, CLA: -15 } as Record<string, number>, true_class: { 1: -2, 2: -4 } as Record<string, number>, sen: { K: -5, E: -15 } as Record<string, number>, fsm: -4, eal: 1, idaci_decile: 0.5 };
  // the generator's truth per (key stage, pmr): true exposure code and class
  const truthRows = new Map<string, [number, number]>();
  const pupilTruth = {
    level: (ks: 2 | 4, pmr: string, year: number) => truthRows.get(`${ks}:${pmr}:${year}`)?.[0] ?? -1,
    trueClass: (ks: 2 | 4, pmr: string, year: number) => truthRows.get(`${ks}:${pmr}:${year}`)?.[1] ?? -1,
  };
  const LEVELS = ['none', 'CIN', 'CPP', 'CLA'];
  // 20% of exposed pupils are not linked: the table shows them as 'none' with true_class 0, as linkage does
  const make = (n: number, ks: 2 | 4, outcome: string, mean: number) => {
    const cols: Record<string, unknown[]> = { pmr: [], academic_year: [], csc_exposure: [], true_class: [], sen: [], fsm: [], eal: [], idaci_decile: [], school: [], [outcome]: [], rwm_expected: [], att8: [], p8: [] };
    for (let i = 0; i < n; i++) {
      const l = [0, 0, 1, 2, 3][rng.nextInt(5)]; const g = LEVELS[l]; const tc = l === 0 ? 0 : rng.nextInt(3);
      const fsm = rng.nextFloat() < (l > 0 ? 0.6 : 0.2) ? 1 : 0; // FSM correlated with CSC contact, as in the generator
      const sen = ['N', 'N', 'K', 'E'][rng.nextInt(4)]; const eal = rng.nextInt(2); const d = 1 + rng.nextInt(10);
      const y = mean + (fx.csc_exposure[g] ?? 0) + (fx.true_class[tc] ?? 0) + (fx.sen[sen] ?? 0) + fx.fsm * fsm + fx.eal * eal + fx.idaci_decile * d + 3 * rng.nextNormal();
      const linked = l === 0 || rng.nextFloat() >= 0.2;
      truthRows.set(`${ks}:P${i}:2019`, [l, tc]);
      Object.entries({ pmr: `P${i}`, academic_year: 2019, csc_exposure: linked ? g : 'none', true_class: linked ? tc : 0, sen, fsm, eal, idaci_decile: d, school: 'S' + rng.nextInt(60), [outcome]: y,
        rwm_expected: g === 'CIN' ? (rng.nextFloat() < 0.35 ? 1 : 0) : (rng.nextFloat() < 0.72 ? 1 : 0), att8: g === 'CIN' ? 18.8 + rng.nextNormal() : 50 + rng.nextNormal(), ...(outcome === 'p8' ? {} : { p8: 0 }) })
        .forEach(([k, v]) => cols[k].push(v));
    }
    return aq.table(cols);
  };
  const ks2 = make(3000, 2, 'read_score', 105);
  const ks4 = make(3000, 4, 'p8', 0);
  const truth = { attainment: { ks2_read: fx, ks4_p8: fx } };
  const rep = attainmentTruthChecks(truth, { ks2, ks4, pupilTruth });
  it('passes coverage on the true exposure and class, and FAILs with a wrong effect', () => {
    expect(rep.checks[0].check).toMatch(/true exposure and class/);
    expect(rep.checks[0].pass).toBe(true);
    const terms = rep.coverageRows.map((r) => `${r.outcome}:${r.term}`);
    expect(terms).toContain('KS2 reading:senE');
    // shown labelled from the data dictionary
    expect(rep.coverage!.rows.map((r) => `${r.outcome}:${r.term}`)).toContain('KS2 reading:Special educational needs: EHC plan');
    const wrongFx = { ...fx, csc_exposure: { CIN: -5, CPP: -6, CLA: -7 }, sen: { K: 0, E: 0 } };
    const bad = attainmentTruthChecks({ attainment: { ks2_read: wrongFx, ks4_p8: wrongFx } }, { ks2, ks4, pupilTruth });
    expect(bad.checks[0].pass).toBe(false);
    expect(bad.failed[0]).toMatch(/share of true effects/);
  });
  it('on the linked exposure the CSC gaps are attenuated and FSM absorbs part of them: a diagnostic, a table and a sentence', () => {
    const linked = rep.checks[1];
    expect(linked.asserted).toBe(false);
    expect(linked.pass).toBe(false); // 20% misclassified: the linked fit misses the truth
    const table = rep.sections.find((x) => /Linkage bias/.test(x.caption))!.table;
    const att = table.rows.map((r) => Number(String(r['attenuation (1 − linked / true)']).replace('−', '-').replace(/,/g, '')));
    expect(att).toHaveLength(9);
    expect(Math.min(...att)).toBeGreaterThan(0.05);
    expect(rep.linkageSentence).toMatch(/^Linkage misclassification: of the pupils with CSC contact before the test, 2\d\.\d% at KS4 and 2\d\.\d% at KS2/);
    expect(rep.checks[2].pass).toBe(true); // linked exposure departs from the truth only as 'none'
  });
  it('FAILs when linked exposure contradicts the truth (a timing bug), and names rows without truth', () => {
    const shifted = { ...pupilTruth, level: (ks: 2 | 4, pmr: string, y: number) => { const l = pupilTruth.level(ks, pmr, y); return l === 1 ? 2 : l; } };
    const bad = attainmentTruthChecks(truth, { ks2, ks4, pupilTruth: shifted });
    expect(bad.failed).toContain(bad.checks[2].check);
    expect(() => attainmentTruthChecks(truth, { ks2, ks4, pupilTruth: { ...pupilTruth, level: () => -1 } })).toThrow(/3,000 of 3,000 KS2 rows have no pupil truth/);
    expect(() => attainmentTruthChecks(truth, { ks2, ks4 })).toThrow(/pupilTruth missing/);
  });
  it('a raw mean on its calibration target passes, one off it FAILs', () => {
    const byName = Object.fromEntries(rep.checks.map((c) => [c.check, c.pass]));
    expect(byName['KS4 Attainment 8, Child in need']).toBe(true); // generated at 18.8
    expect(byName['KS4 Attainment 8, all pupils']).toBe(false); // ≈ 0.2·18.8 + 0.8·50 ≈ 43.8, target 46.7 ± 2
    expect(byName['KS2 % at expected standard RWM, Child in need']).toBe(true); // generated at 35%
  });
});
