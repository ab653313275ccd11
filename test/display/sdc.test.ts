import { describe, it, expect } from 'vitest';
import {
  protectTable,
  protectCount,
  protectRate,
  suppressionMask,
  determinedUnknowns,
  sdcRules,
  SDC_SUPPRESSED,
  tableHtml,
  protectKmCurve,
  protectedAtRisk,
  kmPlot,
  linePlot,
  barChart,
} from '../../src/display/index';
import { createRng } from '../../src/core/random';

describe('primary suppression and rounding', () => {
  it('suppresses counts 1..minCount-1, keeps zeros, rounds to the base', () => {
    expect(protectCount(0)).toBe(0);
    expect(protectCount(1)).toBeNull();
    expect(protectCount(9)).toBeNull();
    expect(protectCount(10)).toBe(10);
    expect(protectCount(12)).toBe(10);
    expect(protectCount(13)).toBe(15);
    expect(protectCount(1234)).toBe(1235);
    expect(protectCount(7, { minCount: 5, roundTo: 1 })).toBe(7);
    expect(protectCount(4, { minCount: 5, roundTo: 1 })).toBeNull();
  });

  it('rejects bad rules and bad counts with a clear message', () => {
    expect(() => sdcRules({ minCount: 0 })).toThrow(/minCount/);
    expect(() => sdcRules({ roundTo: 2.5 })).toThrow(/roundTo/);
    expect(() => protectTable([{ a: 'x', n: -1 }], { countColumns: ['n'] })).toThrow(/"n" row 1/);
    expect(() => protectTable([{ a: 'x', n: 1.5 }], { countColumns: ['n'] })).toThrow(/non-negative integer/);
    expect(() => protectTable([{ a: 'x', n: 1 }], { countColumns: ['m'] })).toThrow(/"m" not found/);
  });

  it('marks suppressed table cells and reports the rules in a note', () => {
    const t = protectTable(
      [
        { group: 'a', y2019: 3, y2020: 120 },
        { group: 'b', y2019: 40, y2020: 57 },
        { group: 'c', y2019: 25, y2020: 88 },
      ],
      { countColumns: ['y2019', 'y2020'] },
    );
    expect(t.rows[0].y2019).toBe(SDC_SUPPRESSED);
    // Column total and row total known: the 3 must be protected by at least one more cell in
    // its row and one in its column.
    const hidden = t.rows.flatMap((r) => ['y2019', 'y2020'].filter((c) => r[c] === SDC_SUPPRESSED).map((c) => `${r.group}.${c}`));
    expect(hidden.length).toBeGreaterThanOrEqual(4);
    expect(t.note).toMatch(/below 10/);
    expect(t.note).toMatch(/nearest 5/);
    expect(t.suppressed.primary).toBe(1);
    for (const r of t.rows) for (const c of ['y2019', 'y2020']) if (r[c] !== SDC_SUPPRESSED) expect((r[c] as number) % 5).toBe(0);
    expect(Object.isFrozen(t)).toBe(true);
  });

  it('tags count cells in HTML for the output checker', () => {
    const html = tableHtml(protectTable([{ g: 'a', n: 50 }, { g: 'b', n: 3 }], { countColumns: ['n'], margins: 'none' }));
    expect(html).toContain('data-sdc-rules');
    expect(html.match(/<td data-sdc="count"[^>]*>([^<]*)<\/td>/g)!.length).toBe(2);
    expect(html).toContain('[c]');
    expect(html).not.toMatch(/>3</);
  });

  it('accepts arquero-like tables via objects()', () => {
    const fake = { objects: () => [{ g: 'a', n: 11 }] };
    expect(protectTable(fake, { countColumns: ['n'] }).rows[0].n).toBe(10);
  });
});

describe('percentages', () => {
  it('suppresses a rate whose numerator, complement or denominator is small', () => {
    expect(protectRate(5, 100)).toBeNull();
    expect(protectRate(95, 100)).toBeNull(); // 5 children without: the complement is small
    expect(protectRate(5, 8)).toBeNull();
    expect(protectRate(0, 100)).toBeNull(); // 0% of a group is a disclosure about all of it
    expect(protectRate(100, 100)).toBeNull();
    // from the rounded numerator and denominator (3 in 40 never shows as 7.5%)
    expect(protectRate(52, 101)).toBeCloseTo((50 / 100) * 100, 12);
    expect(protectRate(30, 100)).toBeCloseTo(30, 12);
    const t = protectTable(
      [
        { g: 'a', rereferred: 4, closed: 200 },
        { g: 'b', rereferred: 60, closed: 200 },
        { g: 'c', rereferred: 70, closed: 210 },
      ],
      { countColumns: ['rereferred', 'closed'], margins: 'columns', rates: [{ column: 'pct', numerator: 'rereferred', denominator: 'closed' }] },
    );
    expect(t.rows[0].pct).toBe(SDC_SUPPRESSED);
    // Secondary suppression hides b or c's numerator, so its rate must go too.
    const hiddenRates = t.rows.filter((r) => r.pct === SDC_SUPPRESSED).length;
    expect(hiddenRates).toBeGreaterThanOrEqual(2);
    const shown = t.rows.find((r) => r.pct !== SDC_SUPPRESSED)!;
    expect(shown.pct).toBeCloseTo((100 * (shown.g === 'b' ? 60 : 70)) / (shown.g === 'b' ? 200 : 210), 1);
  });
});

// Independent check of the property by subtraction: with row and column totals published, a
// suppressed cell can take another value (so is not recoverable) iff it lies on an alternating
// cycle of suppressed cells along which adding ±1 keeps every cell non-negative. Enumerates
// simple cycles through each small cell (tables here are small).
function recoverableBySubtraction(counts: number[], nrow: number, ncol: number, mask: Uint8Array): boolean[] {
  const cells: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) cells.push(i);
  return cells.map((start) => {
    const r0 = Math.floor(start / ncol);
    const c0 = start % ncol;
    const used = new Set<number>([start]);
    // Walk from column c0 to a cell in that column, then along its row, ..., back to row r0.
    const walk = (atColumn: boolean, line: number, path: number[]): boolean => {
      for (const idx of cells) {
        if (used.has(idx)) continue;
        const r = Math.floor(idx / ncol);
        const c = idx % ncol;
        if (atColumn ? c !== line : r !== line) continue;
        const next = [...path, idx];
        // Closing the cycle: after a column step we reach row r; it closes if r === r0.
        if (atColumn && r === r0) {
          const cycle = [start, ...next];
          const plusOk = cycle.every((cell, k) => k % 2 === 0 || counts[cell] >= 1);
          const minusOk = cycle.every((cell, k) => k % 2 === 1 || counts[cell] >= 1);
          if (plusOk || minusOk) return true;
        }
        used.add(idx);
        const found = walk(!atColumn, atColumn ? r : c, next);
        used.delete(idx);
        if (found) return true;
      }
      return false;
    };
    return !walk(true, c0, []);
  });
}

describe('secondary suppression (property test on random tables)', () => {
  it('no suppressed cell can be recovered from row and column totals', () => {
    const rng = createRng(20240607);
    const rules = sdcRules();
    let tablesWithSuppression = 0;
    let checkedBySubtraction = 0;
    for (let trial = 0; trial < 300; trial++) {
      const nrow = 2 + rng.nextInt(5);
      const ncol = 2 + rng.nextInt(5);
      const counts: number[] = [];
      for (let i = 0; i < nrow * ncol; i++) {
        const u = rng.nextFloat();
        counts.push(u < 0.15 ? 1 + rng.nextInt(9) : u < 0.2 ? 0 : 10 + rng.nextInt(200));
      }
      const { mask, primary } = suppressionMask(counts, nrow, ncol, rules, 'both');
      if (primary === 0) continue;
      tablesWithSuppression++;
      // Every small cell is suppressed.
      counts.forEach((v, i) => {
        if (v > 0 && v < 10) expect(mask[i]).toBe(1);
      });
      // Linear-algebra view: no suppressed cell is determined.
      const cells: number[] = [];
      for (let i = 0; i < mask.length; i++) if (mask[i]) cells.push(i);
      const eqs: number[][] = [];
      for (let r = 0; r < nrow; r++) eqs.push(cells.map((i) => (Math.floor(i / ncol) === r ? 1 : 0)));
      for (let c = 0; c < ncol; c++) eqs.push(cells.map((i) => (i % ncol === c ? 1 : 0)));
      const det = determinedUnknowns(eqs, cells.length);
      const allSuppressedLine = cells.length === nrow * ncol;
      if (!allSuppressedLine) expect(det.some((d) => d)).toBe(false);
      // Subtraction view, for small patterns: enumeration finds ≥2 values for each small cell.
      if (cells.length <= 12) {
        checkedBySubtraction++;
        const recoverable = recoverableBySubtraction(counts, nrow, ncol, mask);
        cells.forEach((idx, k) => {
          if (counts[idx] > 0 && counts[idx] < 10) expect(recoverable[k], `cell ${idx} of ${JSON.stringify(counts)}`).toBe(false);
        });
      }
    }
    expect(tablesWithSuppression).toBeGreaterThan(100);
    expect(checkedBySubtraction).toBeGreaterThan(100);
  });

  it('the subtraction check itself detects an unprotected cell (so the property test can fail)', () => {
    const counts = [5, 100, 200, 50, 60, 70];
    const { mask } = suppressionMask(counts, 2, 3, sdcRules({ secondary: false }), 'both');
    expect(recoverableBySubtraction(counts, 2, 3, mask)).toEqual([true]);
    const safe = suppressionMask(counts, 2, 3, sdcRules(), 'both').mask;
    expect(Array.from(safe).filter((m) => m).length).toBe(4);
    expect(recoverableBySubtraction(counts, 2, 3, safe).some((x) => x)).toBe(false);
  });

  it('a lone small cell in a row with published total is always joined by another', () => {
    const { mask, secondary } = suppressionMask([5, 100, 200], 1, 3, sdcRules(), 'rows');
    expect(Array.from(mask)).toEqual([1, 1, 0]);
    expect(secondary).toBe(1);
  });

  it('determinedUnknowns flags a bridge between two cycles', () => {
    // x0 alone in an equation is determined; x1,x2 only appear as a sum.
    expect(determinedUnknowns([[1, 0, 0], [0, 1, 1]], 3)).toEqual([true, false, false]);
  });

  it('is off when secondary = false', () => {
    const { mask } = suppressionMask([5, 100, 200], 1, 3, sdcRules({ secondary: false }), 'rows');
    expect(Array.from(mask)).toEqual([1, 0, 0]);
  });
});

describe('Kaplan–Meier protection', () => {
  // 100 children, one event per time 1..60, then censoring: at-risk falls by one per time.
  const n = 100;
  const time: number[] = [];
  const nRisk: number[] = [];
  const nEvent: number[] = [];
  const surv: number[] = [];
  let s = 1;
  for (let t = 1; t <= 95; t++) {
    time.push(t);
    nRisk.push(n - t + 1);
    nEvent.push(1);
    s *= 1 - 1 / (n - t + 1);
    surv.push(s);
  }
  const curve = { time, nRisk, nEvent, surv };

  it('pools drops to at least minCount events and stops when fewer than minCount are at risk', () => {
    const safe = protectKmCurve(curve, {}, { timeUnit: 1 });
    expect(safe.time[0]).toBe(0);
    expect(safe.surv[0]).toBe(1);
    // drawn steps at t = 10, 20, ..., 90 only (each pools 10 events); stops at nRisk < 10 (t = 92)
    expect(safe.time.slice(1)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(safe.truncatedAt).toBe(91); // after the event at t = 91 only 9 remain at risk
    for (let i = 1; i < safe.time.length; i++) {
      const idx = time.indexOf(safe.time[i]);
      expect(safe.surv[i]).toBe(Math.round(surv[idx] * 1000) / 1000);
    }
  });

  it('at-risk table is rounded and suppressed below the threshold', () => {
    expect(protectedAtRisk(curve, [0, 13, 50, 93, 94], {})).toEqual([100, 90, 50, null, null]);
  });

  it('the KM figure carries no small at-risk counts', () => {
    const fig = kmPlot({ all: curve }, { atRiskTimes: [0, 30, 60, 93] });
    const meta = fig.layout.meta as { sdc: { countTraces: number[] } };
    for (const k of meta.sdc.countTraces) {
      const vals = fig.data[k].customdata as Array<number | null>;
      for (const v of vals) if (v !== null) expect(v === 0 || v >= 10).toBe(true);
    }
  });
});

describe('figures protect counts', () => {
  it('line and bar plots of counts show null for small counts and round the rest', () => {
    const rows = [
      { year: 2019, n: 4, d: 100 },
      { year: 2020, n: 52, d: 100 },
    ];
    const fig = linePlot(rows, { x: 'year', y: 'n', kind: 'count' });
    expect(fig.data[0].y).toEqual([null, 50]);
    const rate = linePlot(rows, { x: 'year', y: 'pct', kind: 'rate', numerator: 'n', denominator: 'd' });
    expect(rate.data[0].y).toEqual([null, 50]); // 52/100 from the rounded 50/100
    const bar = barChart(rows, { x: 'year', y: 'n', kind: 'count' });
    expect(bar.data[0].y).toEqual([null, 50]);
    expect(() => barChart(rows, { x: 'yr', y: 'n' })).toThrow(/"yr" not found/);
  });
});

describe('aggregation glue', () => {
  it('itemPrevalence counts items per group from row objects', async () => {
    const { itemPrevalence, crossTab, rateByGroup } = await import('../../src/display/index');
    const rows = Array.from({ length: 60 }, (_, i) => ({ year: 2019 + (i % 2), a: i % 3 === 0 ? 1 : 0, b: i < 30 ? 1 : 0, g: i % 4 === 0 ? 'x' : 'y' }));
    const prev = itemPrevalence(rows, { group: 'year', items: ['a', 'b'] });
    expect(prev.map((r) => [r.group, r.item, r.n, r.total])).toEqual([
      ['2019', 'a', 10, 30],
      ['2019', 'b', 15, 30],
      ['2020', 'a', 10, 30],
      ['2020', 'b', 15, 30],
    ]);
    const ct = crossTab(rows, { row: 'g', col: 'year' });
    expect(ct.rows.map((r) => r.g)).toEqual(['x', 'y', 'Total']);
    expect(ct.rows[2]['2019']).toBe(30);
    const rate = rateByGroup(rows, { group: 'g', outcome: 'b' });
    expect(rate.countColumns).toEqual(['children', 'events']);
    expect(() => itemPrevalence(rows, { group: 'yr', items: ['a'] })).toThrow(/"yr" not found/);
  });
});

describe('hazardByInterval and groupSummary', () => {
  it('hazard = events / person-time from the risk-set step function', async () => {
    const { hazardByInterval, groupSummary } = await import('../../src/display/index');
    // 100 at risk; 20 events at t = 0.5, then 80 at risk until t = 2 with 10 events at t = 1.5
    const curve = { time: [0.5, 1.5, 2], nRisk: [100, 80, 70], nEvent: [20, 10, 0] };
    const t = hazardByInterval(curve, [0, 1, 2], { roundTo: 1 });
    // [0,1): events 20; person-time 100*0.5 + 80*0.5 = 90
    expect(t.rows[0].events).toBe(20);
    expect(t.rows[0]['person-time']).toBe(90);
    expect(t.rows[0].hazard).toBe(Number((20 / 90).toPrecision(3)));
    // [1,2): events 10; person-time 80*0.5 + 70*0.5 = 75
    expect(t.rows[1].hazard).toBe(Number((10 / 75).toPrecision(3)));
    // default rules: person-time rounded to 5 and the hazard computed from the shown values only
    const r5 = hazardByInterval({ time: [0.5, 1.5, 2], nRisk: [101, 81, 70], nEvent: [22, 10, 0] }, [0, 1, 2]);
    expect(r5.rows[0]['person-time']).toBe(90); // 91 → 90
    expect(r5.rows[0].events).toBe(20); // 22 → 20
    expect(r5.rows[0].hazard).toBe(Number((20 / 90).toPrecision(3)));
    expect(r5.columns).toEqual(['from', 'to', 'events', 'person-time', 'hazard']);
    const small = hazardByInterval({ time: [0.5], nRisk: [100], nEvent: [3] }, [0, 1]);
    expect(small.rows[0].hazard).toBe('[c]');

    const rows = [
      ...Array.from({ length: 30 }, (_, i) => ({ g: 'a', y: i, pass: i % 2 })),
      ...Array.from({ length: 4 }, (_, i) => ({ g: 'b', y: 100 + i, pass: 1 })),
      ...Array.from({ length: 40 }, (_, i) => ({ g: 'c', y: i, pass: i % 4 === 0 ? 1 : 0 })),
    ];
    const gs = groupSummary(rows, { group: 'g', means: ['y'], percents: ['pass'] });
    const a = gs.rows.find((r) => r.g === 'a')!;
    const c = gs.rows.find((r) => r.g === 'c')!;
    expect(c['mean y']).toBeCloseTo(19.5, 12);
    expect(c['% pass']).toBeCloseTo(25, 12);
    expect(c.pupils).toBe(40);
    const b = gs.rows.find((r) => r.g === 'b')!;
    expect(b.pupils).toBe('[c]');
    expect(b['mean y']).toBe('[c]');
    // 'All' would reveal b by subtraction from a: secondary suppression must hide one more count
    // (the smallest other cell in the column, a = 30, goes, and its means with it)
    expect(a.pupils).toBe('[c]');
    expect(a['mean y']).toBe('[c]');
  });
});

describe('secondary suppression chooses a small pattern', () => {
  it('one small cell in a one-column table does not blank the table', () => {
    const t = protectTable([{ g: 'a', n: 120 }, { g: 'b', n: 4 }, { g: 'c', n: 300 }, { g: 'd', n: 55 }], { countColumns: ['n'] });
    const hidden = t.rows.filter((r) => r.n === SDC_SUPPRESSED).map((r) => r.g);
    // the column total is formable: one more cell, the smallest (d = 55), goes; a and c stay
    expect(hidden).toEqual(['b', 'd']);
  });
  it('a two-way table hides the fewest cells that protect the small one', () => {
    const rows = [
      { g: 'a', x: 4, y: 100, z: 80 },
      { g: 'b', x: 50, y: 60, z: 70 },
      { g: 'c', x: 90, y: 20, z: 95 },
    ];
    const t = protectTable(rows, { countColumns: ['x', 'y', 'z'] });
    expect(t.suppressed).toEqual({ primary: 1, secondary: 3 }); // a 2×2 rectangle is the minimum
    expect(t.rows[2]).toMatchObject({ x: 90, y: 20, z: 95 });
  });
});
