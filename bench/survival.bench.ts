/**
 * Survival benchmarks (npm run bench -- survival).
 *  (a) national re-referral shape: Cox Efron, 3.4M episodes × 20 covariates, strata = 152 LAs,
 *      robust variance clustered by child (~2.3M children);
 *  (b) Cox Efron, 1M rows × 8 covariates (target: at least as fast as R's coxph);
 *  (c) Kaplan–Meier on 1M rows (3 groups).
 * Data are simulated here with the seeded RNG (integer day times, so ties are heavy).
 * When Rscript exists, the same data go to a temp CSV and R's coxph/survfit time the same fit
 * with system.time inside R (CSV reading excluded); the ratios R / ours are printed for wall
 * time and for CPU time (user + system; steadier when the machine is shared).
 *  (d) Cox Efron with a shared gamma frailty by LA (152 groups), 200k rows × 8 covariates, as
 *      coxph(... + frailty(la, distribution = 'gamma')) (sparse frailty iterations in both). R's θ is
 *      the last row of its outer-loop history (what print.coxph shows; fit$history[[1]]$theta is
 *      the next θ it would have tried). R's default stops after outer.max = 10 outer iterations,
 *      often before θ has converged, so the coefficients differ from ours by up to ~1e-3 there.
 *  (e) BCH class effects in Cox at national size (fitCoxClassEffects, method 'bch'): 3.4M episodes
 *      × 5 covariates, K = 12 classes, strata = 152 LAs, cluster child; the copies are summed inside
 *      the risk sets (no 41M-row expansion). R is not run (coxph would need the 41M expanded rows).
 * Flags: --quick (1/10 sizes), --no-r (skip R), --case=a|b|c|d|e. Case (a) is the national Cox size;
 * on the shared machine run it under the national lock: flock /work/national.lock npm run bench -- survival --case=a
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/core/random';
import { fitCox } from '../src/survival/cox';
import { kaplanMeier } from '../src/survival/km';
import { fitCoxClassEffects } from '../src/classeffects/cox';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noR = args.includes('--no-r');
const only = args.find((a) => a.startsWith('--case='))?.slice(7);
const scale = quick ? 0.1 : 1;

function rssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function line(name: string, seconds: number, cpu: number, rows: number, extra = ''): void {
  console.log(`${name.padEnd(52)} time ${seconds.toFixed(2).padStart(7)} s (cpu ${cpu.toFixed(2)} s)   ${(rows / seconds / 1e6).toFixed(2).padStart(6)} M rows/s   peak RSS ${rssMB().toFixed(0)} MB ${extra}`);
}

/** CPU seconds (user + system) of this process: steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function hasR(): boolean {
  if (noR) return false;
  const r = spawnSync('Rscript', ['-e', 'suppressMessages(library(survival)); cat("ok")'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('ok');
}

interface SimData {
  n: number;
  p: number;
  x: Float64Array;
  time: Float64Array;
  event: Uint8Array;
  la: Int32Array;
  child: Int32Array;
}

/** Episodes: children with 1–3 episodes, LA-level frailty in the baseline, integer-day times. */
function simulate(n: number, p: number, nLa: number, seed: number): SimData {
  const rng = createRng(seed);
  const beta = Array.from({ length: p }, (_, j) => (j % 3 === 0 ? 0.2 : j % 3 === 1 ? -0.15 : 0.05));
  const laEffect = Array.from({ length: nLa }, () => 0.3 * rng.nextNormal());
  const x = new Float64Array(n * p);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  const la = new Int32Array(n);
  const child = new Int32Array(n);
  let c = 0;
  let left = 0;
  for (let i = 0; i < n; i++) {
    if (left === 0) {
      c++;
      left = 1 + rng.nextInt(2) + (rng.nextFloat() < 0.1 ? 1 : 0);
    }
    left--;
    child[i] = c;
    la[i] = rng.nextInt(nLa);
    let lp = laEffect[la[i]];
    for (let j = 0; j < p; j++) {
      const v = j % 2 === 0 ? rng.nextNormal() : rng.nextFloat() < 0.3 ? 1 : 0;
      x[i * p + j] = v;
      lp += v * beta[j];
    }
    const tEvent = -Math.log(rng.nextFloat()) / (0.002 * Math.exp(lp));
    const tCens = 1 + rng.nextInt(730);
    event[i] = tEvent <= tCens ? 1 : 0;
    time[i] = Math.max(1, Math.ceil(Math.min(tEvent, tCens)));
  }
  return { n, p, x, time, event, la, child };
}

async function writeCsv(path: string, d: SimData, withX: boolean): Promise<void> {
  const out = createWriteStream(path);
  const header = ['time', 'status', 'la', 'child'];
  if (withX) for (let j = 0; j < d.p; j++) header.push(`x${j + 1}`);
  out.write(header.join(',') + '\n');
  const chunk: string[] = [];
  for (let i = 0; i < d.n; i++) {
    let s = `${d.time[i]},${d.event[i]},${d.la[i]},${d.child[i]}`;
    if (withX) for (let j = 0; j < d.p; j++) s += ',' + (d.x[i * d.p + j] === 0 || d.x[i * d.p + j] === 1 ? d.x[i * d.p + j] : d.x[i * d.p + j].toPrecision(17));
    chunk.push(s);
    if (chunk.length === 10000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk.length = 0;
    }
  }
  if (chunk.length) out.write(chunk.join('\n') + '\n');
  await new Promise<void>((r) => out.end(r));
}

/** Runs an R script that prints "elapsed <seconds> <cpu seconds>" and "coef <first coefficient>". */
function runR(script: string): { seconds: number; cpu: number; coef: number | null; extra?: string } | null {
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(`  R failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    return null;
  }
  const m = /elapsed ([0-9.]+) ([0-9.]+)/.exec(r.stdout);
  const c = /coef ([-0-9.e]+)/.exec(r.stdout);
  const th = /theta ([-0-9.e]+)/.exec(r.stdout);
  return m ? { seconds: Number(m[1]), cpu: Number(m[2]), coef: c ? Number(c[1]) : null, extra: th ? `R θ = ${Number(th[1]).toPrecision(6)}` : undefined } : null;
}

/**
 * R expression that reads the bench CSV. data.table::fread when installed: read.csv took about 19 min for the
 * 3.4M × 24 national case on the shared machine, and the read is outside the timed fit anyway.
 */
function readCsvR(csv: string): string {
  return `if (requireNamespace('data.table', quietly = TRUE)) as.data.frame(data.table::fread('${csv}')) else read.csv('${csv}')`;
}

const R = hasR();
const dir = mkdtempSync(join(tmpdir(), 'survbench-'));
console.log(`survival bench${quick ? ' (--quick)' : ''}; R ${R ? 'found' : 'not used'}`);

async function coxCase(label: string, n: number, p: number, stratified: boolean, clustered: boolean, seed: number): Promise<void> {
  const d = simulate(n, p, 152, seed);
  const names = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const fit = fitCox({
    time: d.time, event: d.event, x: { nrow: n, ncol: p, data: d.x }, names,
    strata: stratified ? d.la : undefined, cluster: clustered ? d.child : undefined, ties: 'efron',
  });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  line(label, secs, cpu, n, `(${fit.iterations} Newton steps, ${fit.nEvent} events, converged ${fit.converged})`);
  if (R) {
    const csv = join(dir, `${label.replace(/\W+/g, '_')}.csv`);
    await writeCsv(csv, d, true);
    const rhs = names.join(' + ') + (stratified ? ' + strata(la)' : '') + (clustered ? ' + cluster(child)' : '');
    const rs = runR(`suppressMessages(library(survival)); d <- ${readCsvR(csv)};
      tm <- system.time(f <- coxph(Surv(time, status) ~ ${rhs}, data = d, ties = 'efron'));
      cat('elapsed', tm[['elapsed']], tm[['user.self']] + tm[['sys.self']], '\\n'); cat('coef', format(coef(f)[1], digits = 17), '\\n')`);
    if (rs) {
      const rel = rs.coef !== null ? Math.abs(fit.coef[0] / rs.coef - 1) : NaN;
      console.log(`  R coxph                                           time ${rs.seconds.toFixed(2).padStart(7)} s (cpu ${rs.cpu.toFixed(2)} s)   R / ours: wall ${(rs.seconds / secs).toFixed(2)}, cpu ${(rs.cpu / cpu).toFixed(2)}   |coef1 rel diff| = ${rel.toExponential(2)}`);
    }
    rmSync(csv, { force: true });
  }
}

async function kmCase(n: number): Promise<void> {
  const d = simulate(n, 2, 3, 77);
  const group = Int32Array.from(d.la);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const km = kaplanMeier({ time: d.time, event: d.event, group });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  line(`(c) Kaplan–Meier ${n / 1e6}M rows, 3 groups`, secs, cpu, n, `(${km.curves.reduce((s, c) => s + c.time.length, 0)} curve points)`);
  if (R) {
    const csv = join(dir, 'km.csv');
    await writeCsv(csv, d, false);
    const rs = runR(`suppressMessages(library(survival)); d <- ${readCsvR(csv)};
      tm <- system.time(f <- survfit(Surv(time, status) ~ la, data = d)); cat('elapsed', tm[['elapsed']], tm[['user.self']] + tm[['sys.self']], '\\n')`);
    if (rs) console.log(`  R survfit                                         time ${rs.seconds.toFixed(2).padStart(7)} s (cpu ${rs.cpu.toFixed(2)} s)   R / ours: wall ${(rs.seconds / secs).toFixed(2)}, cpu ${(rs.cpu / cpu).toFixed(2)}`);
    rmSync(csv, { force: true });
  }
}

async function frailtyCase(n: number, p: number): Promise<void> {
  const d = simulate(n, p, 152, 2026);
  const names = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const fit = fitCox({ time: d.time, event: d.event, x: { nrow: n, ncol: p, data: d.x }, names, frailty: d.la, ties: 'efron' });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  line(`(d) Cox frailty(la) ${n / 1e6}M × ${p}, 152 LAs`, secs, cpu, n, `(θ = ${fit.theta.toPrecision(6)}, ${fit.thetaSearch.length} inner fits, converged ${fit.converged})`);
  if (R) {
    const csv = join(dir, 'frailty.csv');
    await writeCsv(csv, d, true);
    const rs = runR(`suppressMessages(library(survival)); d <- ${readCsvR(csv)};
      tm <- system.time(f <- coxph(Surv(time, status) ~ ${names.join(' + ')} + frailty(la, distribution = 'gamma'), data = d, ties = 'efron'));
      cat('elapsed', tm[['elapsed']], tm[['user.self']] + tm[['sys.self']], '\n'); cat('coef', format(coef(f)[1], digits = 17), '\n');
      h <- f$history[[1]]$history; cat('theta', format(h[nrow(h), 1], digits = 17), '\n')`);
    if (rs) {
      const rel = rs.coef !== null ? Math.abs(fit.coef[0] / rs.coef - 1) : NaN;
      console.log(`  R coxph + frailty (defaults)                      time ${rs.seconds.toFixed(2).padStart(7)} s (cpu ${rs.cpu.toFixed(2)} s)   R / ours: wall ${(rs.seconds / secs).toFixed(2)}, cpu ${(rs.cpu / cpu).toFixed(2)}   |coef1 rel diff| = ${rel.toExponential(2)}   ${rs.extra ?? ''}`);
    }
    rmSync(csv, { force: true });
  }
}

async function bchCase(n: number, p: number, K: number): Promise<void> {
  const d = simulate(n, p, 152, 2027);
  const rng = createRng(99);
  // Posterior of each episode: a bump on a latent class, which also shifts its time.
  const post = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(K);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += (post[i * K + k] = Math.exp((k === c ? 3 : 0) + rng.nextNormal()));
    for (let k = 0; k < K; k++) post[i * K + k] /= sum;
    d.time[i] = Math.max(1, Math.round(d.time[i] * Math.exp(-0.05 * (c % 4))));
  }
  const rss0 = rssMB();
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const fit = fitCoxClassEffects({
    time: d.time, event: d.event, x: { nrow: n, ncol: p, data: d.x }, names: Array.from({ length: p }, (_, j) => `x${j + 1}`),
    strata: d.la, cluster: d.child, posterior: { nrow: n, ncol: K, data: post }, method: 'bch',
  });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  line(`(e) Cox BCH ${n / 1e6}M × ${p}, K = ${K}, strata, cluster`, secs, cpu, n, `(peak before fit ${rss0.toFixed(0)} MB; ${fit.iterations} Newton steps, converged ${fit.converged}, ${fit.nCluster} clusters)`);
}

async function main(): Promise<void> {
  if (!only || only === 'd') await frailtyCase(Math.round(200_000 * scale), 8);
  if (!only || only === 'b') await coxCase(`(b) Cox Efron ${scale}M × 8`, Math.round(1_000_000 * scale), 8, false, false, 2024);
  if (!only || only === 'c') await kmCase(Math.round(1_000_000 * scale));
  if (!only || only === 'a') await coxCase(`(a) Cox Efron ${3.4 * scale}M × 20, strata 152 LAs, cluster child`, Math.round(3_400_000 * scale), 20, true, true, 2025);
  if (only === 'e') await bchCase(Math.round(3_400_000 * scale), 5, 12);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
