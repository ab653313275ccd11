import { describe, it, expect } from 'vitest';
import { modelDisclosure } from '../../../src/display/protect/model';

describe('models: N and residual df, flagged below the threshold (ACRO residual-df rule)', () => {
  it('reports rounded N, residual df and events per coefficient, failing small ones', () => {
    const ok = modelDisclosure({ n: 51234, nCoef: 20, nEvent: 20961 });
    expect(ok).toMatchObject({ n: 51235, dfResidual: 51214, nEvent: 20960, status: 'pass' });
    const small = modelDisclosure({ n: 25, nCoef: 18 });
    expect(small.status).toBe('fail');
    expect(small.reasons[0]).toMatch(/residual df 7 below 10/);
    const fewEvents = modelDisclosure({ n: 5000, nCoef: 20, nEvent: 150 });
    expect(fewEvents.reasons[0]).toMatch(/events per coefficient 7.5/);
  });
});

