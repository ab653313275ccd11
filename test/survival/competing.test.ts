// Aalen-Johansen cumulative incidence (src/survival/competing) against R's multi-state survfit.
// R 4.2, survival 3.5:
//   tm <- c(2,3,3,5,6,6,7,8,9,10,12,12,14,15,17,20); cs <- c(1,2,0,1,1,2,0,2,1,0,1,1,2,0,1,0)
//   sf <- survfit(Surv(tm, factor(cs, 0:2)) ~ 1); sf$time; sf$pstate   # columns: event-free, cause 1, cause 2
import { describe, expect, it } from 'vitest';
import { cumulativeIncidence } from '../../src/survival/competing';
import { CR } from './fixtures/small';
import { MC } from './fixtures/finegrayMulticause';
import { expectAllClose } from './helpers';


describe('cumulativeIncidence (survfit, multi-state)', () => {
  const r = cumulativeIncidence({ time: CR.time, cause: CR.cause });
  it('has R\'s times and causes', () => {
    expect(Array.from(r.time)).toEqual(CR.rTime);
    expect(r.causes).toEqual(['1', '2']);
  });
  it('gives R\'s event-free probability and cumulative incidences', () => {
    CR.rTime.forEach((_, j) => {
      expect(r.surv[j]).toBeCloseTo(CR.pstate[j][0], 13);
      expect(r.cif[0][j]).toBeCloseTo(CR.pstate[j][1], 13);
      expect(r.cif[1][j]).toBeCloseTo(CR.pstate[j][2], 13);
    });
  });
  it('counts the risk set and events per cause', () => {
    expect(r.nRisk[0]).toBe(16);
    expect(r.nRisk[1]).toBe(15);
    expect(r.nEvent[0][0]).toBe(1);
    expect(r.nEvent[1][1]).toBe(1);
    expect(r.nEvent[0][8]).toBe(2); // two cause-1 events at t = 12
  });
  it('weights of 2 equal duplicated rows', () => {
    const w = cumulativeIncidence({ time: CR.time, cause: CR.cause, weights: CR.time.map(() => 2) });
    for (let j = 0; j < CR.rTime.length; j++) expect(w.cif[0][j]).toBeCloseTo(r.cif[0][j], 14);
  });
  it('rejects mismatched lengths', () => {
    expect(() => cumulativeIncidence({ time: [1, 2], cause: [1] })).toThrow(/cause has length 1, expected 2/);
  });
});

// R: sf <- survfit(Surv(time, factor(status)) ~ 1, data = d)   # test/survival/fixtures/finegray_multicause/make.R
//    sf$time; sf$n.risk[, 1]; sf$n.event; sf$pstate   # states '(s0)', '1', '2', '3', '4'
describe('cumulativeIncidence with four competing causes (survfit, multi-state)', () => {
  const aj = MC.expected.aalen_johansen;
  const r = cumulativeIncidence({ time: MC.time, cause: MC.status });
  it('has R\'s states, times and risk sets', () => {
    expect(['(s0)', ...r.causes]).toEqual(aj.states);
    expect(Array.from(r.time)).toEqual(aj.time);
    expectAllClose(Array.from(r.nRisk), aj.n_risk, 'n_risk');
  });
  it('gives R\'s event counts, event-free probability and the cumulative incidence of every cause', () => {
    r.causes.forEach((_, k) => expectAllClose(Array.from(r.nEvent[k]), aj.n_event.map((row: number[]) => row[k + 1]), `n_event ${k + 1}`));
    expectAllClose(Array.from(r.surv), aj.pstate.map((row: number[]) => row[0]), 'pstate (s0)');
    r.causes.forEach((c, k) => expectAllClose(Array.from(r.cif[k]), aj.pstate.map((row: number[]) => row[k + 1]), `pstate ${c}`));
  });
});
