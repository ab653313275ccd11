// The attack from issue 12: rebuild risk sets from what a KM figure and a hazard table show.
// A drawn step from S(a) to S(b) says (n − d)/n = S(b)/S(a) for the risk set n and events d
// pooled in it; at the precision shown, the smallest n consistent with that ratio is what an
// attacker would report. Nothing below the threshold may be recoverable.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { protectKmCurve, kmPlot } from '../../src/display/index';

const MIN = 10;

function decimals(v: number): number {
  const s = String(v);
  if (s.includes('e-')) return 20;
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/**
 * Risk sets an attacker rebuilds from one drawn survival curve (S values at ascending times).
 * For the step j the ratio S_j/S_{j-1}, known to the shown precision, must equal (n − d)/n for the
 * risk set n and the events d drawn in it; `upper(j)` bounds n from what else is shown (the number
 * at risk at an earlier tick, plus half the rounding base). The attack succeeds at a step when every
 * (n, d) consistent with both leaves a risk set n or n − d below the threshold.
 */
export function attackCurve(survival: number[], upper: (step: number) => number = () => 5000): Array<{ step: number; n: number; left: number }> {
  const d = Math.max(...survival.map(decimals));
  const h = d > 8 ? 1e-12 : 0.5 * 10 ** -d;
  const found: Array<{ step: number; n: number; left: number }> = [];
  for (let j = 1; j < survival.length; j++) {
    const a = survival[j - 1];
    const b = survival[j];
    if (!(b < a) || a - h <= 0) continue;
    const lo = Math.max(0, (b - h) / (a + h));
    const hi = Math.min(1, (b + h) / (a - h));
    let allSmall = true;
    let any: { n: number; left: number } | null = null;
    for (let n = 1; n <= Math.min(upper(j), 5000) && allSmall; n++) {
      const dLo = Math.max(1, Math.ceil(n * (1 - hi) - 1e-9));
      const dHi = Math.min(n, Math.floor(n * (1 - lo) + 1e-9));
      for (let e = dLo; e <= dHi; e++) {
        any ??= { n, left: n - e };
        if (n >= MIN && n - e >= MIN) { allSmall = false; break; }
      }
    }
    if (allSmall && any) found.push({ step: j, ...any });
  }
  return found;
}

/** Upper bounds on the risk set at each drawn step from the figure's at-risk row. */
function boundsFromAtRisk(xs: number[], ticks: number[], atRisk: Array<number | null>, roundTo = 5): (step: number) => number {
  return (j) => {
    let bound = 5000;
    ticks.forEach((t, i) => {
      if (t <= xs[j - 1] + 1e-9) bound = atRisk[i] === null ? MIN - 1 : (atRisk[i] as number) + roundTo / 2;
    });
    return Math.floor(bound);
  };
}

type Fig = { data: Array<Record<string, unknown>>; layout: Record<string, unknown> };

/** Survival curves drawn in a figure: step lines (hv), as S(t) (1 − y for cumulative plots). */
function drawnCurves(fig: Fig): Array<{ name: string; s: number[]; x: number[] }> {
  return fig.data
    .filter((t) => (t.line as { shape?: string } | undefined)?.shape === 'hv' && Array.isArray(t.y))
    .map((t) => {
      const y = (t.y as Array<number | null>).filter((v): v is number => typeof v === 'number');
      const cumulative = y.length > 1 && y[y.length - 1] > y[0];
      const x = (t.x as number[]).filter((_, i) => typeof (t.y as unknown[])[i] === 'number');
      return { name: String(t.name ?? 'ci'), x, s: cumulative ? y.map((v) => Math.round((1 - v) * 1e12) / 1e12) : y };
    });
}

// A small group with known risk sets: 30 children, events and censoring on single days, including
// the "2, 6, 6 and 2 censored on single days" and a step taking the risk set from 13 to 3.
function smallGroup() {
  const time: number[] = [];
  const nRisk: number[] = [];
  const nEvent: number[] = [];
  const nCensor: number[] = [];
  const surv: number[] = [];
  let n = 60;
  let s = 1;
  const plan: Array<[number, number, number]> = [
    [0.01, 3, 2], [0.02, 2, 6], [0.05, 4, 6], [0.1, 3, 2], [0.2, 5, 0], [0.3, 4, 1], [0.4, 6, 2], [0.6, 1, 0], [0.8, 10, 0],
  ];
  for (const [t, d, c] of plan) {
    time.push(t);
    nRisk.push(n);
    nEvent.push(d);
    nCensor.push(c);
    s *= (n - d) / n;
    surv.push(s);
    n -= d + c;
  }
  return { time, nRisk, nEvent, nCensor, surv };
}

describe('risk-set reconstruction attack on KM curves', () => {
  it('recovers small risk sets from a curve drawn at full precision (the attack works)', () => {
    const g = smallGroup();
    // the rounded at-risk row shows 15 before the last step: with the exact ratio 3/13 that pins
    // the risk set at 13 and leaves 3
    const upper = (j: number) => (j === g.surv.length ? 15 : 5000);
    const found = attackCurve([1, ...g.surv], upper);
    expect(found).toContainEqual({ step: g.surv.length, n: 13, left: 3 });
  });

  it('recovers nothing below the threshold from the protected curve, and every drawn step is truly safe', () => {
    const g = smallGroup();
    const safe = protectKmCurve(g, { minCount: MIN }, { timeUnit: 1 / 12 });
    expect(attackCurve(safe.surv)).toEqual([]);
    for (let j = 1; j < safe.time.length; j++) {
      const grid = g.time.map((t) => Math.ceil(t * 12 - 1e-9) / 12);
      let last = -1;
      grid.forEach((t, i) => (Math.abs(t - safe.time[j]) < 1e-9 ? (last = i) : null));
      expect(last).toBeGreaterThanOrEqual(0);
      const after = g.nRisk[last] - g.nEvent[last] - g.nCensor[last];
      expect(after).toBeGreaterThanOrEqual(MIN);
      expect(g.nRisk[last]).toBeGreaterThanOrEqual(MIN);
    }
    // and the at-risk row of the figure stops where the curve stops
    const fig = kmPlot({ g }, { atRiskTimes: [0, 0.25, 0.5, 0.75, 1], rules: { minCount: MIN } });
    const atRisk = fig.data.find((t) => t.mode === 'text')!.customdata as Array<number | null>;
    atRisk.forEach((v, i) => {
      if (v !== null && safe.truncatedAt !== null) expect([0, 0.25, 0.5, 0.75, 1][i]).toBeLessThan(safe.truncatedAt);
      if (v !== null && v > 0) expect(v).toBeGreaterThanOrEqual(MIN);
    });
  });
});

const executed = path.join(process.cwd(), 'out', '02-re-referral.ipynb');

describe.skipIf(!fs.existsSync(executed))('attack on the executed notebook 02 (out/02-re-referral.ipynb)', () => {
  const nb = fs.existsSync(executed) ? JSON.parse(fs.readFileSync(executed, 'utf8')) : { cells: [] };
  const outputs = (nb.cells as Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }>).flatMap((c) => c.outputs ?? []);
  const figures = outputs.map((o) => o.data?.['application/vnd.plotly.v1+json'] as Fig | undefined).filter((f): f is Fig => !!f);

  it('no KM figure lets a risk set below the threshold be rebuilt', () => {
    const km = figures.filter((f) => drawnCurves(f).length > 0);
    expect(km.length).toBeGreaterThanOrEqual(3); // by pathway, by class, repeat CPP / re-entry
    for (const f of km) {
      const meta = (f.layout.meta as { sdc: { countTraces: number[] } }).sdc;
      const rows = meta.countTraces.map((k) => f.data[k]);
      const named = f.data.filter((t) => (t.line as { shape?: string } | undefined)?.shape === 'hv');
      drawnCurves(f).forEach((c, i) => {
        // the at-risk row of the curve's group (CI bands share their group's row)
        const group = named.slice(i).find((t) => t.name !== undefined)?.name;
        const row = rows.find((r) => (r.y as string[])[0] === group || String(group).startsWith(String((r.y as string[])[0]).replace('…', ''))) ?? rows[0];
        const upper = boundsFromAtRisk(c.x, row.x as number[], row.customdata as Array<number | null>);
        expect(attackCurve(c.s, upper), `${String((f.layout.title as { text?: string })?.text)} / ${c.name}`).toEqual([]);
      });
      for (const k of meta.countTraces) {
        for (const v of f.data[k].customdata as Array<number | null>) if (v !== null && v > 0) expect(v).toBeGreaterThanOrEqual(MIN);
      }
    }
  });

  it('the hazard table and figure give back only the rounded events they show', () => {
    const html = outputs.map((o) => String(o.data?.['text/html'] ?? '')).find((h) => h.includes('Re-referral hazard by time since closure'));
    expect(html).toBeDefined();
    const rows = [...html!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/,/g, '')));
    const body = rows.filter((r) => r.length === 5);
    expect(body.length).toBeGreaterThan(5);
    const shownHazards: number[] = [];
    for (const [, , e, pt, hz] of body) {
      if (e === '[c]' || pt === '[c]') {
        expect(hz).toBe('[c]');
        continue;
      }
      const events = Number(e);
      const personTime = Number(pt);
      const hazard = Number(hz);
      expect(events % 5).toBe(0);
      expect(personTime % 5).toBe(0);
      expect(events).toBeGreaterThanOrEqual(MIN);
      expect(personTime).toBeGreaterThanOrEqual(MIN);
      // hazard × person-time rebuilds the rounded count shown, nothing finer
      expect(Math.abs(hazard * personTime - events)).toBeLessThanOrEqual(events * 0.005 + 1e-9);
      shownHazards.push(hazard);
    }
    const bars = figures.find((f) => String((f.layout.title as { text?: string })?.text ?? '').includes('hazard'));
    expect(bars).toBeDefined();
    expect(bars!.data[0].y).toEqual(shownHazards);
  });
});
