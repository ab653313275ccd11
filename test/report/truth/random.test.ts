// Parameter recovery for the random-effect truth checks: data simulated with known LA frailties and
// one FSM gap for every LA must PASS; the same fits judged against a wrong truth must FAIL.
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
  const simulate = (slopeSd: number) => {
    const rng = createRng(5);
    const laGap = Array.from({ length: 25 }, () => gap + slopeSd * rng.nextNormal());
    const cols: Record<string, unknown[]> = { y: [], fsm: [], la: [] };
    for (let i = 0; i < 2000; i++) {
      const g = rng.nextInt(25); const fsm = rng.nextFloat() < 0.3 ? 1 : 0;
      cols.y.push(45 + laGap[g] * fsm + 0.1 * (g - 12) + 5 * rng.nextNormal()); cols.fsm.push(fsm); cols.la.push('LA' + g);
    }
    return lmm(aq.table(cols), 'y ~ fsm + (1 + fsm | la)', { reml: true, factors: ['fsm'] });
  };
  const fit = simulate(0);
  it('passes when every LA has the true gap', () => {
    const checks = randomSlopeTruthChecks(fit, 'fsm1', gap, 'FSM gap');
    expect(checks.map((c) => c.pass)).toEqual([true, true]);
  });
  it('fails against a wrong gap', () => {
    expect(randomSlopeTruthChecks(fit, 'fsm1', -4, 'FSM gap')[0].pass).toBe(false);
  });
  it('fails when LAs differ in their gap (SD 4) but the truth says one gap', () => {
    const checks = randomSlopeTruthChecks(simulate(4), 'fsm1', gap, 'FSM gap');
    expect(checks[1].pass).toBe(false);
  });
  it('names a missing term', () => {
    expect(() => randomSlopeTruthChecks(fit, 'fsm', gap, 'FSM gap')).toThrow(/no coefficient "fsm"/);
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
