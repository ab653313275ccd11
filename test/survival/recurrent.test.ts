// PWP models for recurrent events (src/survival/recurrent) against R's coxph on survival::bladder2
// (fixtures/bladder2.csv is write.csv(bladder2)). R 4.2, survival 3.5:
//   coxph(Surv(start, stop, event) ~ rx + number + size + strata(enum) + cluster(id), bladder2)
//     coef -0.33348872643408023 0.11961723797756563 -0.00849466610661112
//     robust se 0.2047867719359494 0.0513867497608768 0.0616352080427925; naive se 0.2161679154023413 0.0533378107634613 0.0727622577567774
//   coxph(Surv(stop - start, event) ~ rx + number + size + strata(enum) + cluster(id), bladder2)
//     coef -0.27900451549707656 0.15804589995824667 0.00741508750199483; robust se 0.2156238693384039 0.0509397665471531 0.0643325083081967
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitPwp, pwpData } from '../../src/survival/recurrent';

const lines = readFileSync(join(__dirname, 'fixtures', 'bladder2.csv'), 'utf8').trim().split('\n').slice(1);
const rows = lines.map((l) => l.split(',').map(Number)); // id rx number size start stop event enum
const col = (k: number) => rows.map((r) => r[k]);
const input = {
  id: col(0), entry: col(4), time: col(5), event: col(6),
  x: rows.map((r) => [r[1], r[2], r[3]]), names: ['rx', 'number', 'size'],
};

describe('pwpData', () => {
  it('numbers events within id as bladder2\'s enum, and restarts the clock for gap time', () => {
    const total = pwpData(input, 'total');
    expect(Array.from(total.eventNumber)).toEqual(col(7));
    const gap = pwpData(input, 'gap');
    rows.forEach((r, i) => {
      expect(gap.entry[i]).toBe(0); // each bladder2 row starts at the previous event
      expect(gap.time[i]).toBe(r[5] - r[4]);
    });
  });
  it('rejects overlapping rows of one id and bad events, naming the row', () => {
    expect(() => pwpData({ id: [1, 1], entry: [0, 2], time: [3, 5], event: [1, 0] }, 'total')).toThrow(/rows of id 1 overlap at row 2/);
    expect(() => pwpData({ id: [1], entry: [0], time: [3], event: [2] }, 'total')).toThrow(/event must be 0\/1 at row 1/);
    expect(() => pwpData({ id: [1], entry: [3], time: [3], event: [1] }, 'total')).toThrow(/entry must be < time at row 1/);
  });
});

describe('fitPwp (coxph + strata(enum) + cluster(id))', () => {
  it('total time: R\'s coefficients, robust and naive SEs', () => {
    const f = fitPwp(input, 'total');
    [-0.33348872643408023, 0.11961723797756563, -0.00849466610661112].forEach((b, j) => expect(f.coef[j]).toBeCloseTo(b, 7));
    [0.2047867719359494, 0.0513867497608768, 0.0616352080427925].forEach((s, j) => expect(f.robustSe![j]).toBeCloseTo(s, 7));
    [0.2161679154023413, 0.0533378107634613, 0.0727622577567774].forEach((s, j) => expect(f.seNaive[j]).toBeCloseTo(s, 7));
  });
  it('gap time: R\'s coefficients and robust SEs', () => {
    const f = fitPwp(input, 'gap');
    [-0.27900451549707656, 0.15804589995824667, 0.00741508750199483].forEach((b, j) => expect(f.coef[j]).toBeCloseTo(b, 7));
    [0.2156238693384039, 0.0509397665471531, 0.0643325083081967].forEach((s, j) => expect(f.robustSe![j]).toBeCloseTo(s, 7));
  });
});
