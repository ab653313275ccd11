import { describe, it, expect } from 'vitest';
import { truthBundle } from '../../../src/report/truth/bundle';
import { sectionsBundle } from '../../../src/report/bundle';
import { protectTable } from '../../../src/display/index';
import type { TruthReport } from '../../../src/report/truth/table';

describe('truthBundle', () => {
  it('is the report\'s sections as one bundle, every caption shown in order', () => {
    const t1 = protectTable([{ check: 'slope', n: 200 }], { countColumns: ['n'], labelColumn: 'check' });
    const t2 = protectTable([{ level: 'a', n: 150 }], { countColumns: ['n'], labelColumn: 'level' });
    const report = { sections: [{ caption: 'Checks against known truth', table: t1 }, { caption: 'Coverage', table: t2 }] } as unknown as TruthReport;
    const b = truthBundle(report);
    expect(b).toEqual(sectionsBundle(report.sections));
    const html = b.data['text/html'];
    expect(html.indexOf('Coverage')).toBeGreaterThan(html.indexOf('Checks against known truth'));
  });
});
