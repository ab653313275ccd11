// Aliased-column detection (src/formula/collinear) against R's qr() rank rule (dqrdc2, tol 1e-7).
// R 4.2: X <- cbind(1, 1:5, 2*(1:5), c(0,1,0,1,1), 1:5 + c(0,1,0,1,1))
//        qr(X)$rank  # 3;  qr(X)$pivot[1:3]  # 1 2 4  (columns 3 and 5 are aliased)
import { describe, expect, it } from 'vitest';
import { independentColumns } from '../../src/formula/collinear';
import { householderQr } from '../../src/core/qr';

const mat = (rows: number[][]) => ({ nrow: rows.length, ncol: rows[0].length, data: Float64Array.from(rows.flat()) });

describe('independentColumns (R lm rank rule)', () => {
  it('keeps the columns R keeps', () => {
    const rows = [1, 2, 3, 4, 5].map((v, i) => [1, v, 2 * v, [0, 1, 0, 1, 1][i], v + [0, 1, 0, 1, 1][i]]);
    expect(independentColumns(mat(rows))).toEqual([0, 1, 3]);
  });
  it('drops all-zero columns and agrees with the Householder QR on random designs', () => {
    let seed = 3;
    const u = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let rep = 0; rep < 20; rep++) {
      const n = 30;
      const rows = Array.from({ length: n }, () => {
        const a = u(); const b = u() < 0.5 ? 1 : 0; const c = u();
        return [1, a, b, 0, a - 2 * c, c, 3 * b - 1];
      });
      const kept = independentColumns(mat(rows));
      const q = householderQr(mat(rows).data, n, 7);
      expect(kept).toEqual(Array.from(q.pivot.slice(0, q.rank)).sort((x, y) => x - y));
      // col 3 is zero; c = (a - col 4) / 2 is aliased once col 4 is in; 3b - 1 is aliased with 1 and b
      expect(kept).toEqual([0, 1, 2, 4]);
    }
  });
});
