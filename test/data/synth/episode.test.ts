// One simulated CIN episode (src/data/synth/episode): dates in order, nothing after the 18th
// birthday or the end of the data, the factor string consistent with the class, and pathways
// drawn with PATHWAY_PROBS of the class (known truth, chi-square check).
import { describe, expect, it } from 'vitest';
import { dayFromCivil, birthdayDay } from '../../../src/data/dates';
import { simulateEpisode } from '../../../src/data/synth/episode';
import { PATHWAY_PROBS } from '../../../src/data/synth/params';
import { NONE, WIN_END } from '../../../src/data/synth/state';
import { makeRun } from './runFixture';

function setChild(run: ReturnType<typeof makeRun>['run'], birthYear: number): void {
  const c = run.child;
  c.birth = dayFromCivil(birthYear, 1, 1); c.birthYear = birthYear; c.birthMonth = 1; c.day18 = birthdayDay(c.birth, 18);
  c.childId = 'C1'; c.pmr = 'P1'; c.pmrRecorded = true; c.eth = 'WBRI'; c.la = 0;
}

describe('simulateEpisode', () => {
  it('keeps dates in order and inside [referral, min(end of data, day before 18)]; counts assessments', () => {
    const f = makeRun(12);
    const { run } = f;
    setChild(run, 2000); // turns 18 on 1 Jan 2018, inside the window
    const start = dayFromCivil(2014, 6, 1);
    let assessed = 0; let bad = 0; let truncated = 0;
    for (let t = 0; t < 4000; t++) {
      const ref = start + (t % 1300);
      simulateEpisode(run, ref);
      const ep = run.ep; const last = Math.min(WIN_END, run.child.day18 - 1);
      for (const d of [ep.assess, ep.auth, ep.planStart, ep.planEnd, ep.s47, ep.icpc, ep.cppStart, ep.cppEnd, ep.careStart, ep.careEnd, ep.closure]) {
        if (d !== NONE && (d > last || d < ref)) bad++;
      }
      if (ep.assess !== NONE && ep.auth !== NONE && ep.auth < ep.assess) bad++;
      if (ep.cppStart !== NONE && ep.cppEnd !== NONE && ep.cppEnd < ep.cppStart) bad++;
      if (ep.assess === NONE && (ep.factors !== '' || ep.trueClass !== 0)) bad++;
      if (ep.assess !== NONE) assessed++;
      // closed by the 18th-birthday rule (a natural closure can also fall on that day, with its own reason)
      if (ep.closure === run.child.day18 - 1 && ['RC6', 'RC7'].includes(ep.reason)) truncated++;
    }
    f.close();
    expect(bad).toBe(0);
    expect(truncated).toBeGreaterThan(50); // the rule was exercised
    expect(run.counts.assessments).toBe(assessed);
  });

  it('draws the pathway of a class with PATHWAY_PROBS (pooled chi-square below the 99.9% point)', () => {
    const f = makeRun(13);
    const { run } = f;
    setChild(run, 2006);
    const byClass = new Map<number, number[]>();
    for (let t = 0; t < 8000; t++) {
      simulateEpisode(run, dayFromCivil(2015, 1, 1) + (t % 1500));
      const ep = run.ep;
      if (ep.trueClass > 0) { const a = byClass.get(ep.trueClass) ?? [0, 0, 0, 0]; a[ep.pathway]++; byClass.set(ep.trueClass, a); }
    }
    f.close();
    let chi = 0; let df = 0;
    for (const [k, a] of byClass) {
      const n = a.reduce((s, v) => s + v, 0);
      if (n < 100) continue;
      let cells = 0;
      PATHWAY_PROBS[k].forEach((p, j) => { const e = n * p; if (e >= 5) { chi += (a[j] - e) ** 2 / e; cells++; } });
      df += cells - 1;
    }
    expect(df).toBeGreaterThan(5);
    expect(chi).toBeLessThan(df + 4.4 * Math.sqrt(2 * df)); // normal approximation to qchisq(0.999, df)
  });
});
