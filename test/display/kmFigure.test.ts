/**
 * KM figure layout: small multiples for many groups, an overlay with a fitting at-risk table for
 * few, y axis fitted to the data, a note on why curves stop, at-risk counts still protected.
 */
import { describe, expect, it } from 'vitest';
import { fittedYMax, kmPlot, PALETTE, seriesStyle, wrapLabel } from '../../src/display/index';

/** A curve with n at risk, losing 5% per unit of time to events (cumulative incidence near 0.2 by t = 4). */
function curve(n: number) {
  const time: number[] = []; const nRisk: number[] = []; const nEvent: number[] = []; const surv: number[] = [];
  let atRisk = n; let s = 1;
  for (let t = 1; t <= 40; t++) {
    const d = Math.round(atRisk * 0.005);
    time.push(t / 10); nRisk.push(atRisk); nEvent.push(d);
    s *= 1 - d / atRisk; surv.push(s);
    atRisk -= d + Math.round(atRisk * 0.01);
  }
  return { time, nRisk, nEvent, surv, lower: surv.map((v) => v - 0.02), upper: surv.map((v) => Math.min(1, v + 0.02)) };
}

describe('kmPlot', () => {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`${String(i + 1).padStart(2, '0')}. A long class label number ${i + 1} with several words`, curve(4000 + 100 * i)]));

  it('draws 12 groups as small multiples, each with its title, its own numbers at risk and a fitted y axis', () => {
    const fig = kmPlot(many, { atRiskTimes: [0, 1, 2, 3, 4], cumulative: true });
    const layout = fig.layout as Record<string, any>;
    expect(layout.xaxis12).toBeDefined();
    expect(layout.xaxis13).toBeUndefined();
    const titles = layout.annotations.filter((a: { text: string }) => a.text.startsWith('<b>'));
    expect(titles).toHaveLength(12);
    // Long labels are wrapped, not cut.
    expect(titles[0].text).toContain('<br>');
    expect(titles[0].text.replace(/<[^>]+>/g, ' ')).toContain('several words');
    expect(layout.xaxis.ticktext[1]).toMatch(/^1<br><span style="color:#0072B2">\d{1},\d{3}<\/span>$/);
    // Cumulative incidence stays near 0.2: the axis ends well below 1.
    expect(layout.yaxis.range[1]).toBeLessThan(0.4);
    expect(layout.annotations[0].text).toContain('Curves end where');
    // One y-axis title for the grid (a title per row of panels was cut off), none on the panels.
    const yTitles = layout.annotations.filter((a: { textangle?: number }) => a.textangle === -90);
    expect(yTitles).toHaveLength(1);
    expect(Object.keys(layout).filter((k) => /^yaxis\d*$/.test(k) && layout[k].title)).toEqual([]);
    for (const k of layout.meta.sdc.countTraces) {
      for (const v of fig.data[k].customdata as Array<number | null>) if (v !== null) expect(v % 5).toBe(0);
    }
  });

  it('overlays few groups with an at-risk table whose labels are not truncated', () => {
    const two = { 'Repeat child protection plan': curve(900), 'Re-entry to care': curve(600) };
    const fig = kmPlot(two, { atRiskTimes: [0, 1, 2, 3, 4], cumulative: true });
    const labels = fig.data.filter((d) => d.mode === 'text').map((d) => (d.y as string[])[0]);
    expect(labels).toEqual(['Repeat child protection plan', 'Re-entry to care']);
    expect(((fig.layout as Record<string, any>).yaxis.range[1])).toBeLessThan(0.4);
  });

  it('fits the y axis to the data and wraps labels at spaces', () => {
    expect(fittedYMax([0.01, 0.08, 0.11, null])).toBe(0.15);
    expect(fittedYMax([0.97])).toBe(1);
    expect(wrapLabel('one two three four', 9)).toBe('one two<br>three<br>four');
  });
});

describe('palette', () => {
  it('has 12 distinct colours and gives every series up to 48 its own colour and dash pair', () => {
    expect(new Set(PALETTE).size).toBeGreaterThanOrEqual(12);
    const styles = new Set(Array.from({ length: 48 }, (_, i) => JSON.stringify(seriesStyle(i))));
    expect(styles.size).toBe(48);
  });
});

describe('kmPlot overlay (few groups)', () => {
  it('keeps the legend off the tick labels and the first at-risk number clear of the group names', () => {
    const fig = kmPlot({ 'CIN plan': curve(18000), CPP: curve(7000) }, { atRiskTimes: [0, 1, 2, 3, 4], cumulative: true });
    const layout = fig.layout as Record<string, any>;
    expect(layout.xaxis2).toBeDefined(); // the at-risk panel of the overlay figure
    expect(layout.xaxis.range[0]).toBeLessThan(-0.2); // 5% of the axis before t = 0
    const curveBottomPx = layout.yaxis.domain[0] * layout.height;
    const legendTopPx = layout.legend.y * layout.height;
    expect(curveBottomPx - legendTopPx).toBeGreaterThanOrEqual(50); // under the ticks and the axis title
    expect(legendTopPx).toBeGreaterThan(layout.yaxis2.domain[1] * layout.height); // above the at-risk panel
  });
});
