// Column headers as shown (src/display/headers): broom and data names read out, CI pairs joined.
import { describe, expect, it } from 'vitest';
import { cellLabel, columnHeader, displayColumns } from '../../src/display/headers';
import { plainTable, tableHtml, tableText } from '../../src/display/index';

describe('columnHeader', () => {
  it('maps broom, survival and snake_case data names to headers', () => {
    const got = ['std.error', 'p.value', 'estimate', 'term', 'hazard.ratio', 'n.risk', 'rows_read', 'idaci_decile', 'duplicates_merged', 'la', 'df.residual', 'episodes', 'csc_exposure']
      .map(columnHeader);
    expect(got).toEqual(['SE', 'p', 'Estimate', 'Term', 'HR', 'At risk', 'Rows read', 'IDACI decile', 'Duplicates merged', 'LA', 'Residual df', 'Episodes', 'CSC exposure']);
  });
  it('keeps headers already written for reading', () => {
    for (const h of ['% by 1y', 'SD of relative hazard', 'p (frailty)', 'HR (95% CI)', 'Modal class']) expect(columnHeader(h)).toBe(h);
  });
});

describe('displayColumns and the table renderers', () => {
  it('shows conf.low and conf.high as one "95% CI" column at the lower limit\'s place', () => {
    expect(displayColumns(['term', 'estimate', 'conf.low', 'conf.high', 'p.value']).map((c) => c.header)).toEqual(['Term', 'Estimate', '95% CI', 'p']);
    expect(displayColumns(['conf.low']).map((c) => c.header)).toEqual(['95% CI (lower)']);
  });
  it('renders no raw tidy names, the interval as "low to high" with U+2212, and p in the one style', () => {
    const t = plainTable([{ term: 'x', estimate: -0.5, 'std.error': 0.1, 'conf.low': -0.7, 'conf.high': -0.3, 'p.value': 3e-7 }]);
    const html = tableHtml(t);
    const headers = Array.from(html.matchAll(/<th[^>]*>([^<]*)<\/th>/g), (m) => m[1]);
    expect(headers).toEqual(['Term', 'Estimate', 'SE', '95% CI', 'p']);
    expect(html).toContain('\u22120.7 to \u22120.3');
    expect(html).toContain('&lt;0.001');
    expect(html).not.toMatch(/>-\d/);
    const text = tableText(t);
    expect(text.split('\n')[0]).toMatch(/^Term\s+Estimate\s+SE\s+95% CI\s+p$/);
  });
});

describe('summaries of a named column', () => {
  it('reads "mean <column>" and "% <column>" out with the column\'s own header', () => {
    expect(['mean read_score', 'mean att8', 'mean p8', '% rwm_expected', 'mean idaci_decile', 'mean age at referral'].map(columnHeader))
      .toEqual(['Mean reading scaled score', 'Mean Attainment 8', 'Mean Progress 8', '% expected standard in RWM', 'Mean IDACI decile', 'Mean age at referral']);
    expect(columnHeader('read_score')).toBe('Reading scaled score');
  });
});

describe('headers that still showed machine names or lower case (issue 14)', () => {
  it('lme4 variance parameters of a glance row read in words', () => {
    expect(columnHeader('sd.(Intercept)')).toBe('SD (intercept)');
    expect(columnHeader('sd.deprivation')).toBe('SD (deprivation)');
    expect(columnHeader('cor.(Intercept).deprivation')).toBe('Correlation (intercept, deprivation)');
    expect(columnHeader('sd.random')).toBe('SD (random intercept)');
  });
  it('a lower-case header in words starts with a capital; p-value headers keep their p', () => {
    expect(['key stage', 'rate %', 'share %', 'demand class', 'person-time', 'follow-up ends at', 'residual SD', 'correlation (intercept, slope)'].map(columnHeader))
      .toEqual(['Key stage', 'Rate %', 'Share %', 'Demand class', 'Person-time', 'Follow-up ends at', 'Residual SD', 'Correlation (intercept, slope)']);
    expect(['p (frailty)', 'p', '% by 1y', 'RR D1/D10'].map(columnHeader)).toEqual(['p (frailty)', 'p', '% by 1y', 'RR D1/D10']);
    // lme4's argument name, with what it counts
    expect(columnHeader('nAGQ')).toBe('Quadrature points (nAGQ)');
  });
  it('any "<x>.low" / "<x>.high" pair is one "<x> 95% CI" column (RII.low, RII.high)', () => {
    const cols = displayColumns(['class', 'RII', 'RII.low', 'RII.high']);
    expect(cols.map((c) => c.header)).toEqual(['Class', 'RII', 'RII 95% CI']);
    expect(cols[2]).toEqual({ header: 'RII 95% CI', key: 'RII.low', high: 'RII.high' });
    const html = tableHtml(plainTable([{ class: 'a', RII: 2.2, 'RII.low': 2.1, 'RII.high': 2.3 }]));
    expect(html).toContain('2.1 to 2.3');
  });
});

describe('cellLabel: codes in model summaries and pooled rows read in words', () => {
  it('family, variance type and the pooled year, in both renderers; other columns and unknown codes untouched', () => {
    expect(cellLabel('family', 'negbin')).toBe('Negative binomial (NB2)');
    expect(cellLabel('vcov.type', 'hessian')).toBe('Observed information (Hessian)');
    expect(cellLabel('vcov.type', 'sandwich-x')).toBe('sandwich-x');
    expect(cellLabel('term', 'poisson')).toBe('poisson');
    const t = plainTable([{ year: 'all', family: 'poisson', 'vcov.type': 'model', outcome: 'model' }]);
    const text = tableText(t);
    expect(text).toMatch(/All years\s+Poisson\s+Model-based\s+model/);
    expect(tableHtml(t)).toContain('>Model-based<');
    expect(tableHtml(t)).not.toMatch(/>all</);
  });
});
