// A small over-dispersed count data set with a population offset, shared by the count-model
// R-agreement tests (R 4.2 / MASS 7.3 values are quoted where used).
export const Y = Float64Array.from([0, 1, 6, 0, 12, 0, 4, 15, 1, 0, 20, 3, 9, 0, 2, 25]);
export const X1 = [-1.2, -0.5, 0.3, 0.1, 0.9, -1.5, 0.4, 1.3, -0.2, 0, 1.8, 0.2, 1.1, -0.9, -0.3, 1.6];
export const POP = [10, 12, 9, 15, 11, 8, 14, 13, 10, 9, 16, 12, 11, 10, 13, 15];
export const W = Float64Array.from([1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1]);
/** mu <- pop * exp(b0 + b1 * x) */
export const muAt = (b0: number, b1: number): Float64Array => Float64Array.from(X1, (x, i) => POP[i] * Math.exp(b0 + b1 * x));
