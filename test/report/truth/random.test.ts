// Parameter recovery for the random-effect truth checks: data simulated with known LA frailties and
// LA-varying FSM gaps (and one gap for every LA) must PASS; the same fits judged against a wrong truth must FAIL.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { createRng } from '../../../src/core/random';
import { km } from '../../../src/survival/index';
import { fitCox } from '../../../src/survival/cox';
import { lmm } from '../../../src/regression/index';
import { frailtyTruthChecks, randomSlopeTruthChecks, rereferralTruthChecks, truthBundle, truthReport, withinCheck } from '../../../src/report/truth/index';

describe('frailtyTruthChecks', () => {
  const rng = createRng(11);
  const G = 30;
  const logFrailty: Record<string, number> = {};
  for (let g = 0; g < G; g++) logFrailty['LA' + g] = 0.5 * rng.nextNormal();
  const time: number[] = []; const event: number[] = []; const x: number[][] = []; const la: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const g = rng.nextInt(G); const x1 = rng.nextNormal();
    const t = -Math.log(1 - rng.nextFloat()) / (0.3 * Math.exp(0.4 * x1 + logFrailty['LA' + g]));
    const c = 5 * rng.nextFloat();
    time.push(Math.min(t, c)); event.push(t <= c ? 1 : 0); x.push([x1]); la.push('LA' + g);
  }
  const fit = fitCox({ time, event, x, names: ['x1'], frailty: la });
  it('passes against the generating log-frailties', () => {
    const checks = frailtyTruthChecks(fit, logFrailty);
    expect(checks.map((c) => c.pass)).toEqual([true, true]);
  });
  it('fails when the truth is wrong (frailties reversed and scaled up)', () => {
    const wrong = Object.fromEntries(Object.entries(logFrailty).map(([k, v]) => [k, -2 * v]));
    const checks = frailtyTruthChecks(fit, wrong);
    expect(checks.map((c) => c.pass)).toEqual([false, false]);
    const rep = truthReport(checks);
    expect(rep.table.rows.map((r) => r.result)).toEqual(['FAIL', 'FAIL']);
    expect(() => rep.assert()).toThrow(/LA frailty/);
  });
  it('names a missing block or LA', () => {
    expect(() => frailtyTruthChecks(fit, undefined)).toThrow(/laLogFrailty/);
    expect(() => frailtyTruthChecks(fit, { LA0: 0 })).toThrow(/LA1/);
  });
});

describe('randomSlopeTruthChecks', () => {
  const gap = -8;
  const G = 60;
  // LA intercepts and gap deviations drawn with SDs 1.5 and 2, correlation -0.5 (as the generator draws them)
  const simulate = (slopeSd: number) => {
    const rng = createRng(5);
    const re = Array.from({ length: G }, () => rng.nextNormal());
    const slope = re.map((z) => slopeSd * (-0.5 * z + Math.sqrt(0.75) * rng.nextNormal()));
    const cols: Record<string, unknown[]> = { y: [], fsm: [], la: [] };
    for (let i = 0; i < 12_000; i++) {
      const g = rng.nextInt(G); const fsm = rng.nextFloat() < 0.3 ? 1 : 0;
      cols.y.push(45 + 1.5 * re[g] + (gap + slope[g]) * fsm + 5 * rng.nextNormal()); cols.fsm.push(fsm); cols.la.push('LA' + g);
    }
    const fit = lmm(aq.table(cols), 'y ~ fsm + (1 + fsm | la)', { reml: true, factors: ['fsm'] });
    const sd = (v: number[]) => { const m = v.reduce((a, b) => a + b, 0) / v.length; return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length); };
    const mr = re.reduce((a, b) => a + b, 0) / G; const ms = slope.reduce((a, b) => a + b, 0) / G;
    const corr = slopeSd === 0 ? 0 : re.reduce((a, z, l) => a + (z - mr) * (slope[l] - ms), 0) / (G * sd(re) * sd(slope));
    const truth = { effect: gap, sdIntercept: 1.5 * sd(re), sdSlope: sd(slope), corr, slopes: Object.fromEntries(slope.map((b, l) => ['LA' + l, b])) };
    return { fit, truth };
  };
  const varying = simulate(2);
  it('recovers the realised slope SD, correlation and group slopes', () => {
    const checks = randomSlopeTruthChecks(varying.fit, 'fsm1', varying.truth, 'FSM gap');
    expect(checks.filter((c) => !c.pass).map((c) => `${c.check} ${c.value} ${c.target}`)).toEqual([]);
    expect(checks[1].check).toMatch(/60 groups/);
  });
  it('fails against a wrong slope SD, correlation or group slopes', () => {
    const t = varying.truth;
    const ids = Object.keys(t.slopes);
    const wrong = { ...t, sdSlope: 2 * t.sdSlope, corr: -t.corr, slopes: Object.fromEntries(ids.map((g, i) => [g, t.slopes[ids[(i + 1) % ids.length]]])) };
    expect(randomSlopeTruthChecks(varying.fit, 'fsm1', wrong, 'FSM gap').map((c) => c.pass)).toEqual([true, false, false, false]);
    expect(randomSlopeTruthChecks(varying.fit, 'fsm1', { ...t, effect: -4 }, 'FSM gap')[0].pass).toBe(false);
  });
  it('where the truth is one gap everywhere, passes on such data and fails on LA-varying data', () => {
    const one = simulate(0);
    const none = { effect: gap, sdIntercept: 0, sdSlope: 0, corr: 0, slopes: {} };
    expect(randomSlopeTruthChecks(one.fit, 'fsm1', none, 'FSM gap').map((c) => c.pass)).toEqual([true, true]);
    const big = simulate(4);
    expect(randomSlopeTruthChecks(big.fit, 'fsm1', none, 'FSM gap')[1].pass).toBe(false);
  });
  it('names a missing term or a group without a true slope', () => {
    expect(() => randomSlopeTruthChecks(varying.fit, 'fsm', varying.truth, 'FSM gap')).toThrow(/no coefficient "fsm"/);
    expect(() => randomSlopeTruthChecks(varying.fit, 'fsm1', { ...varying.truth, slopes: { LA0: 0 } }, 'FSM gap')).toThrow(/LA1/);
  });
});

describe('one report per notebook', () => {
  it('rereferralTruthChecks takes the frailty fit into the same table; truthBundle shows every section', () => {
    const rng = createRng(2);
    const cols: Record<string, unknown[]> = { true_class: [], pathway: [], sex: [], ethnic_group: [], age_at_closure: [], idaci_decile: [], prior_referrals: [], la: [], time_years: [], event: [] };
    for (let i = 0; i < 800; i++) {
      const t = -Math.log(1 - rng.nextFloat()) / 0.35; const c = 8 * rng.nextFloat();
      Object.entries({ true_class: 1 + rng.nextInt(2), pathway: ['NFA', 'CIN'][rng.nextInt(2)], sex: rng.nextFloat() < 0.5 ? 'F' : 'M', ethnic_group: 'White',
        age_at_closure: rng.nextInt(17), idaci_decile: 1 + rng.nextInt(10), prior_referrals: rng.nextInt(3), la: 'LA' + rng.nextInt(4), time_years: Math.min(t, c), event: t <= c ? 1 : 0 })
        .forEach(([k, v]) => cols[k].push(v));
    }
    const table = aq.table(cols);
    const truth = { rereferralCox: { trueClass: { 1: 0, 2: 0 }, pathway: { CIN: 0 }, sex: { M: 0 }, ethnicGroup: {}, ageAtClosurePerYear: 0, idaciDecilePerDecile: 0, priorReferralsPerReferral: 0,
      laLogFrailty: { LA0: 0.3, LA1: -0.3, LA2: 0.1, LA3: -0.1 } } };
    const frailty = { theta: 0.5, frailtyLevels: ['LA0', 'LA1', 'LA2', 'LA3'], frailties: Float64Array.from([-0.3, 0.3, -0.1, 0.1]) };
    const rep = rereferralTruthChecks(truth, { episodes: table, overall: km(table, { time: 'time_years', event: 'event' }).curves[0], frailty });
    const names = rep.checks.map((c) => c.check);
    expect(names.filter((n) => n.startsWith('LA frailty'))).toHaveLength(2);
    expect(rep.failed).toContain('LA frailty: correlation of estimated and true log-frailties');
    const b = truthBundle(rep);
    expect(b.data['text/html']).toContain('Checks against known truth');
    expect(b.data['text/html']).toContain('True log hazard ratios against estimates');
    expect(b.data['text/plain']).toContain('FAIL');
  });
  it('formats a computed tolerance to the shown digits', () => {
    expect(withinCheck('x', 1, 1, 0.6234567, 2).target).toBe('1.00 ± 0.62');
    expect(withinCheck('x', 1, 1, 0.05, 3).target).toBe('1.000 ± 0.05');
  });
});
