import { describe, expect, it } from 'vitest';
import { dependenciesInRun, nextReady } from '../../scripts/notebook/dependencies';

describe('notebook run-order dependencies', () => {
  const run = ['00-data.ipynb', '01-demand-types.ipynb', '02-re-referral.ipynb', '04-inequalities.ipynb'];
  it('02 and 04 wait for 01 when 01 is in the run', () => {
    expect(dependenciesInRun('02-re-referral.ipynb', run)).toEqual(['01-demand-types.ipynb']);
    expect(dependenciesInRun('00-data.ipynb', run)).toEqual([]);
  });
  it('a dependency outside the run is not waited for', () => {
    expect(dependenciesInRun('03-attainment.ipynb', ['03-attainment.ipynb'])).toEqual([]);
  });
  it('skips a waiting notebook for a ready one, and reports when none is ready', () => {
    const queue = ['02-re-referral.ipynb', '00-data.ipynb', '04-inequalities.ipynb'];
    expect(nextReady(queue, run, new Set())).toBe(1);
    expect(nextReady(['02-re-referral.ipynb', '04-inequalities.ipynb'], run, new Set(['00-data.ipynb']))).toBe(-1);
    expect(nextReady(['02-re-referral.ipynb', '04-inequalities.ipynb'], run, new Set(['01-demand-types.ipynb']))).toBe(0);
  });
});
