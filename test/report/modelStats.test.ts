// The rows under every model (src/report/modelStats): N, events, size, rows dropped with why.
import { describe, expect, it } from 'vitest';
import { modelStatRows } from '../../src/report/index';
import type { ModelResult } from '../../src/report/index';
import { sdcRules } from '../../src/display/index';

const result = (over: Partial<ModelResult>): ModelResult => ({
  kind: 'coxph', terms: [], n: 1000, events: 300, dfResidual: null, nCoef: 3, dropped: {}, factors: {}, ...over,
});
const rules = sdcRules({ minCount: 10, roundTo: 5 });

describe('modelStatRows', () => {
  it('says that no rows were dropped when none were, rather than saying nothing', () => {
    const { rows } = modelStatRows([result({})], { rules });
    expect(rows.map((r) => [r.label, r.cells[0]])).toEqual([
      ['N (rows used)', '1,000'], ['Events', '300'], ['Events per coefficient', '100'], ['Rows dropped (missing values)', '0'],
    ]);
  });
  it('one row per reason, labelled from the dictionary, blank-padded for a p column; small counts suppressed', () => {
    const { rows } = modelStatRows([result({ dropped: { 'missing idaci_decile': 4 } }), result({ dropped: { 'missing idaci_decile': 120 } })],
      { rules, dictionary: { idaci_decile: { label: 'IDACI decile' } }, columnsPerModel: 2 });
    const dropped = rows.find((r) => r.label.startsWith('Rows dropped'))!;
    expect(dropped.label).toBe('Rows dropped: missing IDACI decile');
    expect(dropped.cells).toEqual(['[c]', '', '120', '']);
    expect(dropped.countCells).toEqual([true, false, true, false]);
  });
});
