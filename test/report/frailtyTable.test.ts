// The variance-component table of a shared gamma frailty fit (src/report/frailtyTable): θ and its
// test from the fit, and N, events and rows dropped under it through disclosure control.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { cox } from '../../src/survival/index';
import { frailtyTable, publicationBundle, tableHtml } from '../../src/report/index';
import { checkNotebook } from '../../src/display/index';
import { createRng } from '../../src/core/random';

/** 30 groups with log-frailty ~ N(0, 0.5²), log-HR 0.7 for x; 25 rows miss their group. */
function frailData(n = 1800) {
  const rng = createRng(11);
  const u = () => 1 - rng.nextFloat();
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const logFrail = Array.from({ length: 30 }, () => 0.5 * normal());
  const g: (string | null)[] = []; const x: number[] = []; const time: number[] = []; const event: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 30;
    const xi = u() < 0.5 ? 1 : 0;
    const t = -Math.log(u()) / (0.2 * Math.exp(0.7 * xi + logFrail[k]));
    g.push(i < 25 ? null : `LA${k}`); x.push(xi); time.push(Math.min(t, 4)); event.push(t < 4 ? 1 : 0);
  }
  return aq.table({ g, x, time, event });
}

describe('frailtyTable', () => {
  const d = frailData();
  const fit = cox(d, { formula: 'Surv(time, event) ~ x + frailty(g)' });
  const rules = { minCount: 10, roundTo: 5 };
  const t = frailtyTable(fit, { group: 'LA', rules, caption: 'Frailty' });
  const cell = (label: string) => t.rows.find((r) => r.label === label)?.cells[0];

  it('shows θ, √θ, the frailty df and p from the fit', () => {
    expect(fit.theta).toBeGreaterThan(0.05);
    expect(cell('LA frailty variance θ')).toBe(fit.theta.toFixed(3));
    expect(cell('SD of the relative hazard (√θ)')).toBe(Math.sqrt(fit.theta).toFixed(3));
    expect(cell('Frailty term: effective df')).toBe(fit.frailtyTest.df.toFixed(1));
    expect(cell('Frailty term: p')).toBe(fit.frailtyTest.p < 0.001 ? '<0.001' : fit.frailtyTest.p.toFixed(3));
  });

  it('carries N, events and the rows dropped with why, rounded; the checker passes it', () => {
    expect(cell('N (rows used)')).toBe('1,775');
    const events = Number(cell('Events')!.replace(/,/g, ''));
    expect(events % 5).toBe(0);
    expect(Math.abs(events - fit.nEvent)).toBeLessThanOrEqual(2.5);
    expect(cell('Rows dropped: missing g')).toBe('25');
    const html = tableHtml(t);
    expect(html.match(/data-sdc="count"/g)!.length).toBeGreaterThanOrEqual(3);
    const nb = { cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'display_data', ...publicationBundle(t) }] }] };
    expect(checkNotebook(nb, "nb").filter((p) => p.severity === "fail").map((p) => JSON.stringify(p))).toEqual([]);
  });

  it('refuses a fit without a frailty', () => {
    const plain = cox(d, { formula: 'Surv(time, event) ~ x' });
    expect(() => frailtyTable(plain as never)).toThrow(/expected a shared-frailty Cox fit/);
  });
});
