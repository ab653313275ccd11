// Infinitesimal-jackknife SEs of the Aalen-Johansen estimate (src/survival/competingSe) against
// R's multi-state survfit. R 4.2, survival 3.5 (data as in competing.test.ts):
//   sf <- survfit(Surv(tm, factor(cs, 0:2)) ~ 1); sf$std.err   # columns: event-free, cause 1, cause 2
import { describe, expect, it } from 'vitest';
import { cumulativeIncidence } from '../../src/survival/competing';
import { cumulativeIncidenceSe } from '../../src/survival/competingSe';
import { CR } from './fixtures/small';
import { MC } from './fixtures/finegrayMulticause';
import { expectAllClose } from './helpers';

const STD_ERR = [
  [0.0605153647844909, 0.0605153647844909, 0], [0.0826797284707685, 0.0605153647844909, 0.0605153647844909],
  [0.1000327097163713, 0.0857820274553689, 0.0605153647844909], [0.1204139967359386, 0.1021710752470991, 0.0857820274553689],
  [0.1204139967359386, 0.1021710752470991, 0.0857820274553689], [0.1281716419608581, 0.1021710752470991, 0.1060203658837293],
  [0.1321799321324638, 0.1167739832699816, 0.1060203658837293], [0.1321799321324638, 0.1167739832699816, 0.1060203658837293],
  [0.1338483301241662, 0.1382216840605380, 0.1060203658837293], [0.1256459859964518, 0.1382216840605380, 0.1247274194472587],
  [0.1256459859964518, 0.1382216840605380, 0.1247274194472587], [0.1118525864074846, 0.1481506859274885, 0.1247274194472587],
  [0.1118525864074846, 0.1481506859274885, 0.1247274194472587],
];

describe('cumulativeIncidenceSe (survfit std.err)', () => {
  it('matches R\'s IJ standard errors of every state at every time', () => {
    const ci = cumulativeIncidence({ time: CR.time, cause: CR.cause });
    const se = cumulativeIncidenceSe(ci, CR.time, CR.cause.map(String));
    STD_ERR.forEach((row, j) => {
      expect(se.stdErrSurv[j]).toBeCloseTo(row[0], 12);
      expect(se.stdErr[0][j]).toBeCloseTo(row[1], 12);
      expect(se.stdErr[1][j]).toBeCloseTo(row[2], 12);
    });
  });
  it('rejects mismatched lengths', () => {
    const ci = cumulativeIncidence({ time: CR.time, cause: CR.cause });
    expect(() => cumulativeIncidenceSe(ci, CR.time, [1])).toThrow(/cause has length 1/);
  });
});

// R: survfit(Surv(time, factor(status)) ~ 1, data = d)$std.err, four competing causes, one row per
// subject (no id), 197 distinct times (test/survival/fixtures/finegray_multicause/make.R)
describe('cumulativeIncidenceSe with four competing causes', () => {
  it('matches R\'s IJ standard errors of every state at every time', () => {
    const se0 = MC.expected.aalen_johansen.std_err as number[][];
    const ci = cumulativeIncidence({ time: MC.time, cause: MC.status });
    const se = cumulativeIncidenceSe(ci, MC.time, MC.status.map(String));
    expectAllClose(Array.from(se.stdErrSurv), se0.map((row) => row[0]), 'std.err (s0)');
    ci.causes.forEach((c, k) => expectAllClose(Array.from(se.stdErr[k]), se0.map((row) => row[k + 1]), `std.err ${c}`));
  });
});
