// Linkage bias of the attainment truth refits (src/report/truth/linkage): true inputs per row, the
// generating fit on true against linked exposure, and the contradiction check.
import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { createRng } from '../../../src/core/random';
import { generatingFit, linkageBias, trueInputs } from '../../../src/report/truth/linkage';

describe('trueInputs, generatingFit and linkageBias', () => {
  const rng = createRng(9);
  const levels = ['none', 'CIN', 'CPP', 'CLA'];
  const truth = new Map<string, number>();
  const cols: Record<string, unknown[]> = { pmr: [], academic_year: [], csc_exposure: [], true_class: [], fsm: [], sen: [], eal: [], idaci_decile: [], school: [], y: [] };
  for (let i = 0; i < 4000; i++) {
    const l = rng.nextFloat() < 0.7 ? 0 : 1 + rng.nextInt(3);
    const fsm = rng.nextFloat() < (l ? 0.6 : 0.2) ? 1 : 0;
    const y = 50 - 10 * (l > 0 ? 1 : 0) - 2 * l - 4 * fsm + 2 * rng.nextNormal();
    truth.set(`P${i}`, l);
    const linked = l === 0 || i % 10 !== 0; // one exposed pupil in ten is not linked
    Object.entries({ pmr: `P${i}`, academic_year: 2019, csc_exposure: levels[linked ? l : 0], true_class: 0, fsm, sen: 'N', eal: 0, idaci_decile: 1 + (i % 10), school: 'S' + (i % 40), y })
      .forEach(([k, v]) => cols[k].push(v));
  }
  const table = aq.table(cols);
  const pt = { level: (_ks: 2 | 4, p: string) => truth.get(p) ?? -1, trueClass: () => 0 };
  const inputs = trueInputs(table, pt, 4);
  it('counts exposed pupils and those the linked table shows as none', () => {
    const exposed = [...truth.values()].filter((l) => l > 0).length;
    expect(inputs.exposed).toBe(exposed);
    const unlinked = cols.pmr.filter((_p, i) => truth.get(`P${i}`)! > 0 && i % 10 === 0).length;
    expect(inputs.unlinked).toBe(unlinked);
    expect(inputs.contradicted).toBe(0);
  });
  it('the true-input fit recovers the effects; the linked fit is attenuated and shifts FSM', () => {
    const onTrue = generatingFit(table, 'y', inputs);
    const onLinked = generatingFit(table, 'y');
    const b = (f: ReturnType<typeof generatingFit>, t: string) => f.coef[f.names.indexOf(t)];
    expect(Math.abs(b(onTrue, 'csc_exposureCIN') + 12)).toBeLessThan(3 * onTrue.se[onTrue.names.indexOf('csc_exposureCIN')]);
    expect(b(onLinked, 'csc_exposureCIN')).toBeGreaterThan(-12 + 0.3);
    expect(b(onLinked, 'fsm')).toBeLessThan(b(onTrue, 'fsm'));
    const res = linkageBias([{ outcome: 'y', keyStage: 4, onTrue, onLinked, inputs }]);
    expect(res.checks[0].pass).toBe(true);
    expect(res.detail.table.rows.map((r) => r['CSC group'])).toEqual(['Child in need', 'Child protection plan', 'Looked after']);
    expect(res.sentence).toMatch(/of the pupils with CSC contact before the test, \d+\.\d% at KS4 have no pupil matching reference/);
    // Only the coefficient table is kept: no n-long arrays (fitted values, residuals) per fit.
    for (const f of [onTrue, onLinked]) for (const v of Object.values(f)) expect((v as { length?: number })?.length ?? 0).toBeLessThan(100);
    const contradicted = linkageBias([{ outcome: 'y', keyStage: 4, onTrue, onLinked, inputs: { ...inputs, contradicted: 1 } }]);
    expect(contradicted.checks[0].pass).toBe(false);
  });
});
