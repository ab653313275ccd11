/**
 * Class effects in OLS (npm run bench -- classeffects; --quick for a tenth): BCH-corrected demand-class
 * effects as notebook 03 fits them at national size (≈480k children in need at KS4, K = 12 classes,
 * 8 covariates, ≈3,000 school clusters). The summed path (default) adds the K weighted copies inside
 * XᵀWX, XᵀWy and the per-unit scores; --case=expanded fits the n·K materialised rows instead (the
 * reference path), in its own process so each reports its own peak RSS. Each line: case, time, peak RSS.
 * The posteriors are made up (not calibrated), so the estimates are not a recovery check (the tests do that).
 */
import { createRng } from '../src/core/random';
import { fitOlsClassEffects } from '../src/classeffects/index';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--case='))?.slice(7);
const n = quick ? 48_000 : 480_000;
const K = 12; const q = 8; const nSchools = quick ? 300 : 3000;
const rng = createRng(1603);
// Posteriors: the true class with probability ≈ 0.75, the rest spread, so BCH weights are signed but moderate.
const post = new Float64Array(n * K);
const y = new Float64Array(n);
const x = new Float64Array(n * q);
const school = new Int32Array(n);
const gamma = Array.from({ length: K }, (_, k) => (k === 0 ? 0 : -0.1 * k));
for (let i = 0; i < n; i++) {
  const c = rng.nextInt(K);
  let s = 0;
  for (let k = 0; k < K; k++) { const v = k === c ? 8 : rng.nextFloat() * 0.5; post[i * K + k] = v; s += v; }
  for (let k = 0; k < K; k++) post[i * K + k] /= s;
  let mu = gamma[c];
  for (let j = 0; j < q; j++) { const v = rng.nextNormal(); x[i * q + j] = v; mu += 0.2 * v; }
  y[i] = mu + rng.nextNormal();
  school[i] = rng.nextInt(nSchools);
}
const posterior = { nrow: n, ncol: K, data: post };
const run = (expand: boolean) => {
  const t0 = performance.now();
  const fit = fitOlsClassEffects({ y, x: { nrow: n, ncol: q, data: x }, posterior, method: 'bch', cluster: school, expand, maxCells: Infinity });
  const t = (performance.now() - t0) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`${(expand ? 'BCH OLS, expanded n·K rows' : 'BCH OLS, copies summed').padEnd(36)} time ${t.toFixed(2).padStart(7)} s   peak RSS ${rss.toFixed(0)} MB   (n = ${n}, K = ${K}, class 2 effect ${fit.coef[1].toFixed(3)} ± ${fit.se[1].toFixed(3)})`);
};
console.log(`class-effects bench: n = ${n} units, K = ${K}, q = ${q}, ${nSchools} school clusters${quick ? ' (--quick)' : ''}; data made, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (only !== 'expanded') run(false);
if (only === 'expanded') run(true);
