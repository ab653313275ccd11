// The sparse frailty sweep gives exactly the entries of the dense information of the model with
// one indicator column per group (the (p + G)² matrix coxcore builds), on data with tied times
// (Efron and Breslow), strata and (entry, stop] rows, at arbitrary (β, w); by both ways of summing
// the coefficient–frailty block (per row from prefix sums, or per group as rows enter when the
// prefix sums would be too large), with the workspace sized by the data's event times or by n.
import { describe, it, expect } from 'vitest';
import { coxLogLik, makeWorkspace, type CoxData } from '../../src/survival/coxcore';
import { prepareCox } from '../../src/survival/coxPrepare';
import { frailtyLogLik, makeFrailtyWorkspace } from '../../src/survival/frailtySweep';

function lcg(seed: number) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); }

type Variant = 'byRow' | 'byGroup' | 'sizedByTimes';

function check(ties: 'efron' | 'breslow', withStrata: boolean, withEntry: boolean, variant: Variant = 'byRow') {
  const rnd = lcg(7 + (withStrata ? 1 : 0) + (withEntry ? 2 : 0));
  const n = 300;
  const p = 2;
  const G = 7;
  const g = Array.from({ length: n }, () => Math.floor(rnd() * G));
  const x = Array.from({ length: n }, () => [rnd() * 2 - 1, rnd() < 0.4 ? 1 : 0]);
  const time = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 25));
  const entry = withEntry ? time.map((t) => Math.floor(rnd() * (t - 0.5))) : undefined;
  const event = Array.from({ length: n }, () => (rnd() < 0.6 ? 1 : 0));
  const strata = withStrata ? Array.from({ length: n }, () => (rnd() < 0.5 ? 'a' : 'b')) : undefined;
  const { data } = prepareCox({ time, event, entry, x, strata, ties });
  const m = p + G;
  const xa = new Float64Array(n * m);
  const group = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    xa.set(data.x.subarray(k * p, k * p + p), k * m);
    group[k] = g[data.order[k]];
    xa[k * m + p + group[k]] = 1;
  }
  const dense: CoxData = { ...data, p: m, x: xa, means: new Float64Array(m) };
  const beta = [0.3, -0.5];
  const w = Array.from({ length: G }, (_, j) => 0.2 * Math.sin(j + 1));
  const ws = makeWorkspace(n, m);
  const llDense = coxLogLik(dense, [...beta, ...w], ws);
  const fs0 = makeFrailtyWorkspace(n, p, G, variant === 'sizedByTimes' ? data : undefined);
  if (variant === 'byGroup') expect(fs0.cumB).not.toBeNull();
  const fs = variant === 'byGroup' ? { ...fs0, cumB: null } : fs0;
  const ll = frailtyLogLik(data, group, beta, w, fs);
  const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThan(1e-10 * (1 + Math.abs(b)));
  close(ll, llDense, 'loglik');
  for (let a = 0; a < p; a++) close(fs.u[a], ws.u[a], `u${a}`);
  for (let j = 0; j < G; j++) close(fs.uw[j], ws.u[p + j], `uw${j}`);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) close(fs.imat[a * p + b], ws.imat[a * m + b], `I${a}${b}`);
  for (let a = 0; a < p; a++) for (let j = 0; j < G; j++) close(fs.hbw[a * G + j], ws.imat[a * m + p + j], `I${a},w${j}`);
  for (let j = 0; j < G; j++) close(fs.hww[j], ws.imat[(p + j) * m + p + j], `Iww${j}`);
}

describe('frailtyLogLik equals the dense indicator-column information', () => {
  for (const ties of ['efron', 'breslow'] as const) {
    for (const st of [false, true]) for (const en of [false, true]) {
      for (const v of ['byRow', 'byGroup', 'sizedByTimes'] as const) {
        it(`${ties}${st ? ', strata' : ''}${en ? ', (entry, stop]' : ''}, ${v}`, () => check(ties, st, en, v));
      }
    }
  }
});
