/**
 * LCA benchmarks (npm run bench -- lca; add --full for the K = 1..15 × 20 starts selection).
 *  (a) poLCA yardstick shape: 200k rows × 30 binary items, K = 6, one start.
 *      poLCA on this machine kind: 0.17 s per EM iteration, 103.7 s for 609 iterations.
 *  (b) national shape: 4.2M rows × 45 sparse binary items, K = 12, one start (target < 60 s),
 *      for three seeds, against EM started from the true parameters.
 *  (c) --full: selection K = 1..15 × 20 starts on the national shape (target < 15 min).
 * Data are simulated here with the seeded RNG. Each line: case, time, EM iterations/s, peak RSS.
 * Flags: --quick (0.42M-row national shape), --plain (plain EM instead of the default SQUAREM), --case=a|b|c,
 *   --start=seeded|margins|mixed|polca (start draw; default: the engine's default).
 * Wall time on a shared machine is inflated by other processes; the CPU time (main thread +
 * workers) is printed alongside.
 */
import { createRng } from '../src/core/random';
import { compareLca, fitLca, fitLcaPrepared, simulateLca } from '../src/lca/index';
import { codeRows, prepareLcaData } from '../src/lca/prepare';

const args = process.argv.slice(2);
const full = args.includes('--full');
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--case='))?.slice(7);

function rssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

let cpuStart = process.cpuUsage();
function startClock(): number {
  cpuStart = process.cpuUsage();
  return performance.now();
}
/** CPU seconds of this process since startClock (main thread + workers): less sensitive to a loaded machine than wall time */
function cpuSeconds(): number {
  const u = process.cpuUsage(cpuStart);
  return (u.user + u.system) / 1e6;
}
function line(name: string, seconds: number, iterations: number, extra = ''): void {
  console.log(`${name.padEnd(44)} time ${seconds.toFixed(2).padStart(8)} s (cpu ${cpuSeconds().toFixed(2)} s)   ${(iterations / seconds).toFixed(1).padStart(8)} EM it/s   peak RSS ${rssMB().toFixed(0)} MB ${extra}`);
}

function yardstickData(): ReturnType<typeof simulateLca> {
  const rng = createRng(606);
  const K = 6;
  const J = 30;
  const shares = [0.3, 0.2, 0.17, 0.13, 0.12, 0.08];
  const probs = Array.from({ length: K }, () => Array.from({ length: J }, () => {
    const p = 0.2 + 0.6 * rng.nextFloat();
    return [1 - p, p];
  }));
  return simulateLca(200_000, shares, probs, 607);
}

/** Sparse national shape: each class has a handful of characteristic factors, the rest rare. */
function nationalData(n: number): ReturnType<typeof simulateLca> & { shares: number[]; probs: number[][][] } {
  const rng = createRng(4200);
  const K = 12;
  const J = 45;
  const raw = Array.from({ length: K }, () => 0.3 + rng.nextFloat());
  const tot = raw.reduce((s, x) => s + x, 0);
  const shares = raw.map((x) => x / tot);
  const probs = Array.from({ length: K }, () => {
    const core = new Set<number>();
    while (core.size < 3) core.add(rng.nextInt(J));
    return Array.from({ length: J }, (_, j) => {
      const p = core.has(j) ? 0.4 + 0.5 * rng.nextFloat() : 0.002 + 0.03 * rng.nextFloat();
      return [1 - p, p];
    });
  });
  return { ...simulateLca(n, shares, probs, 4201), shares, probs };
}

const accelerateOption = args.includes('--plain') ? { accelerate: false } : {};
// --start=seeded|margins|mixed|polca: the start draw, to compare iteration counts between strategies.
const startArg = args.find((a) => a.startsWith('--start='))?.slice('--start='.length);
const startOption = startArg ? { startMethod: startArg as 'seeded' | 'margins' | 'mixed' | 'polca' } : {};

if (!only || only === 'a') {
  let t0 = performance.now();
  const d = yardstickData();
  const gen = (performance.now() - t0) / 1000;
  // the pattern step (coding, compression, sparse/blocked layouts) is timed apart from the fit,
  // because poLCA's 103.7 s is its EM alone; its full run with its own pattern step took ~13 min
  t0 = startClock();
  const prepared = prepareLcaData(codeRows({ codes: d.codes, nRows: d.nRows, nItems: d.nItems }), {});
  const prep = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const f = fitLcaPrepared(prepared, { classes: 6, starts: 1, seed: 1, relTol: 1e-12, ...startOption, ...accelerateOption });
  const s = (performance.now() - t1) / 1000;
  const c = cpuSeconds();
  line('(a) 200k x 30 binary, K=6, 1 start', prep + s, f.iterations, `| pattern step ${prep.toFixed(2)} s, fit ${s.toFixed(2)} s (starts, EM, summaries): ${(103.7 / s).toFixed(1)}x poLCA's EM (103.7 s); with the pattern step ${(780 / (prep + s)).toFixed(0)}x poLCA's full run (~780 s); ${f.iterations} EM maps, ${((s / f.iterations) * 1000).toFixed(1)} ms each (poLCA 170 ms per iteration); ${f.nPatterns} patterns; E-step ${prepared.eStepMode}; accelerate=${f.options.accelerate ?? true}; converged=${f.converged}; cpu ${c.toFixed(2)} s; data gen ${gen.toFixed(1)} s`);
}

if (!only || only === 'b') {
  // One start's time depends on where it starts: a start in a poor region can crawl for
  // thousands of iterations towards a worse maximum. So three seeds, each one start, and
  // the log-likelihood of EM started from the true parameters as the yardstick.
  const n = quick ? 420_000 : 4_200_000;
  let t0 = performance.now();
  const d = nationalData(n);
  const gen = (performance.now() - t0) / 1000;
  t0 = startClock();
  const prepared = prepareLcaData(codeRows({ codes: d.codes, nRows: d.nRows, nItems: d.nItems }), {});
  const prep = (performance.now() - t0) / 1000;
  const fromTruth = fitLcaPrepared(prepared, { classes: 12, startValues: { shares: d.shares, itemProbs: d.probs }, relTol: 1e-10, ...accelerateOption });
  console.log(`(b) ${(n / 1e6).toFixed(2)}M x 45 sparse, K=12: pattern step ${prep.toFixed(2)} s, ${prepared.data.nRows} patterns, E-step ${prepared.eStepMode}; EM from the true parameters: logLik ${fromTruth.logLik.toFixed(3)}, ${fromTruth.iterations} EM maps; data gen ${gen.toFixed(1)} s`);
  for (const seed of [1, 2, 3]) {
    const t1 = startClock();
    const f = fitLcaPrepared(prepared, { classes: 12, starts: 1, seed, relTol: 1e-10, ...startOption, ...accelerateOption });
    const s = (performance.now() - t1) / 1000;
    line(`(b) 1 start, seed ${seed}`, s, f.iterations, `| with the pattern step ${(prep + s).toFixed(2)} s; ${f.iterations} EM maps, logLik ${f.logLik.toFixed(3)} (${(f.logLik - fromTruth.logLik).toFixed(3)} vs from truth), accelerate=${f.options.accelerate ?? true}, converged=${f.converged}`);
  }
}

if (full && (!only || only === 'c')) {
  const n = quick ? 420_000 : 4_200_000;
  const d = nationalData(n);
  const t0 = startClock();
  // Mplus-style stages: every start runs 10 EM iterations, the best 4 continue to convergence
  const cmp = compareLca({ codes: d.codes, nRows: d.nRows, nItems: d.nItems }, { classes: Array.from({ length: 15 }, (_, i) => i + 1), starts: 20, seed: 1, relTol: 1e-10, preRun: { iterations: 10, keep: 4 }, ...startOption, ...accelerateOption });
  const s = (performance.now() - t0) / 1000;
  const its = cmp.fits.reduce((acc, f) => acc + f.totalIterations, 0);
  line(`(c) selection K=1..15 x 20 starts (${(n / 1e6).toFixed(2)}M)`, s, its, `| best BIC at K=${cmp.table.reduce((b, r) => ((r.bic as number) < (b.bic as number) ? r : b)).classes}`);
  for (const f of cmp.fits) console.log(`    K=${String(f.nClasses).padStart(2)}  logLik ${f.logLik.toFixed(3).padStart(16)}  BIC ${f.bic.toFixed(1).padStart(14)}  best reached by ${f.bestLogLikReplicated.count} of ${f.bestLogLikReplicated.total} continued starts  EM maps ${f.totalIterations}`);
}
