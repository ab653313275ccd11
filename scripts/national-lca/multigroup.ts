// Pandemic comparison (notebook 01's lcaMultiGroup call) on the national matrix in scratch/ (from build-matrix.ts), timed per part.
// The pooled K-class fit is refitted here with few starts (it is only the nested models' starting point).
// Usage: node --import tsx scripts/national-lca/multigroup.ts [K=12] [starts=2] [relTol=inherit|number]
import { fitLca, lcaMultiGroup } from '../../src/lca/index';
import { readNationalScratch } from './scratch';
const { X, year } = readNationalScratch();
const K = Number(process.argv[2] ?? 12);
const starts = Number(process.argv[3] ?? 2);
const relArg = process.argv[4] ?? 'inherit';
let t = performance.now();
const lap = () => { const s = (performance.now() - t) / 1000; t = performance.now(); return s.toFixed(1); };
const pooled = fitLca(X, { classes: K, starts, seed: 20240601, maxIter: 800, tol: 1e-6, relTol: 1e-10, workers: false, preRun: { iterations: 30, keep: 2 }, extendUnconverged: true });
console.log(`pooled K=${K}: ll ${pooled.logLik.toFixed(2)} conv ${pooled.converged} iter ${pooled.iterations} patterns ${pooled.nPatterns} ${lap()} s`);
const period = Array.from(year, (y) => (y === 2021 ? '2020/21' : '2015–2020'));
const mg = lcaMultiGroup(X, {
  classes: K, groups: period, groupLevels: ['2015–2020', '2020/21'], seed: 20240601, maxIter: 800, tol: 1e-6, workers: false, pooled,
  ...(relArg === 'inherit' ? {} : { relTol: Number(relArg) }),
});
console.log(`multigroup ${lap()} s`);
console.log(`invariant: ll ${mg.invariant.logLik.toFixed(2)} conv ${mg.invariant.fit.converged} iter ${mg.invariant.fit.iterations} patterns ${mg.invariant.fit.nPatterns}`);
mg.free.fits.forEach((f, g) => console.log(`free ${g}: ll ${f.logLik.toFixed(2)} conv ${f.converged} iter ${f.iterations} patterns ${f.nPatterns}`));
console.log(`LR ${mg.lrt.statistic.toFixed(1)} on ${mg.lrt.df}; nesting ok: ${mg.invariant.logLik >= pooled.logLik - 1e-6 * Math.abs(pooled.logLik) && mg.free.logLik >= mg.invariant.logLik}`);
for (const w of mg.warnings) console.log('warn:', w);
console.log('rss', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB');
