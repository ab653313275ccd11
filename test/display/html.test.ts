// src/display/html.ts: numbers and intervals in tables stay on one line; labels may wrap.
import { describe, expect, it } from 'vitest';
import { isNumericText, tableHtml } from '../../src/display/html';
import { plainTable } from '../../src/display/sdc';

describe('tableHtml cell wrapping', () => {
  it('recognises numbers written as text (intervals, targets, comparisons) and not labels', () => {
    for (const s of ['−0.046 to 0.070', '-0.1 to 0.2', '0.300 ± 0.05', '≥ 0.80', '0.027 vs 0.033', '1,230 (4.5%)', '1.2e-05', '0.50 – 1.50', '<0.001']) {
      expect(isNumericText(s), s).toBe(true);
    }
    for (const s of ['05. Mental health (child)', 'True class: 2', 'yes', 'PASS', 'K = 12', '', '—', 'Age 10 to 15']) {
      expect(isNumericText(s), s).toBe(false);
    }
  });

  it('keeps CI cells and numbers unwrapped, lets label cells wrap', () => {
    const html = tableHtml(plainTable([
      { term: '05. Mental health (child)', estimate: 0.012, 'modal 95% CI': '−0.046 to 0.070', covers: 'yes' },
    ]));
    expect(html).toContain('<td>05. Mental health (child)</td>');
    expect(html).toContain('<td style="text-align:right;white-space:nowrap">0.012</td>');
    expect(html).toContain('<td style="white-space:nowrap">−0.046 to 0.070</td>');
    expect(html).toContain('<td>yes</td>');
  });
});

describe('warnings column of a glance row', () => {
  it('goes under the table as a note naming the row, not into a cell as tall as a paragraph', async () => {
    const { plainTable: pt, tableHtml: th, tableText: tt } = await import('../../src/display/index');
    const long = 'singular fit: a random-effect SD is ≈ 0 or a correlation is ±1 (θ diagonal 0.183, 8.71e−11); its boundary θ is held fixed';
    const t = pt([{ outcome: 'first referrals', N: 10640, warnings: long }, { outcome: 'care starts', N: 10640, warnings: '' }]);
    const html = th(t);
    expect(html).not.toMatch(/<th[^>]*>Warnings<\/th>/);
    expect(html).toContain(`Warning (first referrals): ${long.replace('≈', '≈')}`);
    expect(html).not.toContain('Warning (care starts)');
    expect(tt(t).split('\n')[0]).not.toMatch(/Warnings/);
    expect(tt(t)).toContain('Warning (first referrals): singular fit');
  });
});
