import { describe, it, expect } from 'vitest';
import { PALETTE, colour, seriesStyle, baseLayout, sdcMeta, hexAlpha } from '../../src/display/style';
import { sdcRules } from '../../src/display/sdc';

describe('palette and series styles', () => {
  it('starts with the Okabe–Ito colours without their yellow (#F0E442), and has no repeats', () => {
    expect(PALETTE.slice(0, 7)).toEqual(['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']);
    expect(PALETTE).not.toContain('#F0E442');
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });
  it('colours wrap around; the dash tells the repeats apart, so the first 4 × 12 series all differ', () => {
    expect(colour(PALETTE.length)).toBe(colour(0));
    expect(seriesStyle(0)).toEqual({ color: '#0072B2', dash: 'solid' });
    expect(seriesStyle(PALETTE.length)).toEqual({ color: '#0072B2', dash: 'dash' });
    const styles = Array.from({ length: 4 * PALETTE.length }, (_, i) => JSON.stringify(seriesStyle(i)));
    expect(new Set(styles).size).toBe(styles.length);
  });
});

describe('baseLayout', () => {
  it('a title gets room at the top; no title, none', () => {
    const a = baseLayout('Re-referral', { yaxis: { range: [0, 1] } });
    expect(a.title).toEqual({ text: 'Re-referral', font: { size: 15 } });
    expect((a.margin as { t: number }).t).toBeGreaterThan((baseLayout(undefined).margin as { t: number }).t);
    expect(a.yaxis).toEqual({ range: [0, 1] });
    expect(baseLayout(undefined).title).toBeUndefined();
  });
  it('extra keys override the defaults', () => {
    expect(baseLayout('x', { template: 'none' }).template).toBe('none');
  });
});

describe('sdcMeta', () => {
  it('declares the rules and count traces for the output checker', () => {
    const rules = sdcRules({ minCount: 10, roundTo: 5 });
    const m = sdcMeta(rules, [0, 2], { km: { survDigits: 3 } }) as { sdc: Record<string, unknown> };
    expect(m.sdc.rules).toEqual(rules);
    expect(m.sdc.countTraces).toEqual([0, 2]);
    expect(m.sdc.km).toEqual({ survDigits: 3 });
    expect(String(m.sdc.note)).toMatch(/10/);
  });
  it('without rules no trace may be declared a count trace', () => {
    expect(sdcMeta(null, [0, 1])).toEqual({ sdc: { rules: null, countTraces: [] } });
  });
});

describe('hexAlpha', () => {
  it('reads #rrggbb as its three bytes', () => {
    expect(hexAlpha('#0072B2', 0.2)).toBe('rgba(0,114,178,0.2)');
    expect(hexAlpha('#ffffff', 1)).toBe('rgba(255,255,255,1)');
    expect(hexAlpha('#000000', 0)).toBe('rgba(0,0,0,0)');
  });
});
