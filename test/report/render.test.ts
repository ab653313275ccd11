// Rendering publication tables (src/report/render): U+2212 on the page, ASCII '-' in CSV.
import { describe, expect, it } from 'vitest';
import { tableCsv, tableHtml, tableText, type PublicationTable } from '../../src/report/index';
import { formatEstimate } from '../../src/display/index';

const t: PublicationTable = {
  caption: 'c', columns: ['Estimate (95% CI)'], spanners: [{ label: 'M1', span: 1 }], notes: [], rules: { minCount: 10, roundTo: 5, secondary: true } as PublicationTable['rules'],
  rows: [{ kind: 'term', label: 'Age', indent: false, cells: [`${formatEstimate(-0.25)} (${formatEstimate(-0.4)} to ${formatEstimate(-0.1)})`] }],
};

describe('render', () => {
  it('shows U+2212 in HTML and text, and ASCII minus in CSV so the numbers parse', () => {
    expect(tableHtml(t)).toContain('\u22120.25 (\u22120.40 to \u22120.10)');
    expect(tableText(t)).toContain('\u22120.25');
    const csv = tableCsv(t);
    expect(csv).not.toContain('\u2212');
    expect(csv.split('\n')[1]).toBe('Age,-0.25 (-0.40 to -0.10)');
    expect(Number(csv.split('\n')[1].split(',')[1].split(' ')[0])).toBe(-0.25);
  });
});
