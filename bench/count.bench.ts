/**
 * Count models on national-size small-area data: ≈33,000 LSOA-like areas × 7 census years
 * (231,000 rows), 152 LAs, counts negative binomial around population × exp(decile and year
 * effects + LA effect).
 *  (a) negative binomial GLM (glm.nb): count ~ decile (10 levels) + year (7) + offset(log(population))
 *  (b) Poisson GLMM, Laplace: count ~ deprivation + year + offset(log(population)) + (1 | la)
 * When Rscript is on PATH, MASS::glm.nb and lme4::glmer (default controls) run on the same data
 * (sent as a binary file, read outside the timer), timed with system.time; each line prints the
 * ratio R time / our time (> 1: we are faster) and the agreement of the estimates.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/core/random';
import { fitGlm, fitGlmm } from '../src/regression/count/index';

const quick = process.argv.includes('--quick');
const nAreas = quick ? 3300 : 33_000; const nYears = 7; const nLa = 152;
const n = nAreas * nYears;
const rng = createRng(20240915);
const poisson = (mu: number): number => { // inversion for small means, normal approximation above 500
  if (mu > 500) return Math.max(0, Math.round(mu + Math.sqrt(mu) * rng.nextNormal()));
  let k = 0; let p = Math.exp(-mu); let s = p; const u = rng.nextFloat();
  while (u > s && k < 10_000) { k++; p *= mu / k; s += p; }
  return k;
};
const gamma = (shape: number): number => { // Marsaglia–Tsang, shape ≥ 1
  const d = shape - 1 / 3; const c = 1 / Math.sqrt(9 * d);
  for (;;) { const x = rng.nextNormal(); const v = (1 + c * x) ** 3; if (v > 0 && Math.log(rng.nextFloat()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v; }
};
const theta = 8;
const laEff = Array.from({ length: nLa }, () => 0.2 * rng.nextNormal());
const la = new Int32Array(n); const dec = new Int32Array(n); const year = new Int32Array(n);
const pop = new Float64Array(n); const y = new Float64Array(n);
for (let a = 0; a < nAreas; a++) {
  const l = a % nLa; const d = 1 + rng.nextInt(10); const base = 250 + rng.nextInt(200);
  for (let t = 0; t < nYears; t++) {
    const i = a * nYears + t;
    la[i] = l; dec[i] = d; year[i] = 2015 + t; pop[i] = base + rng.nextInt(20);
    const mu = pop[i] * Math.exp(-3.2 - 0.22 * (d - 1) + 0.03 * t + laEff[l]);
    y[i] = poisson(mu * gamma(theta) / theta);
  }
}
const offset = Float64Array.from(pop, Math.log);
const pA = 1 + 9 + 6; const xA = new Float64Array(n * pA);
const pB = 1 + 1 + 6; const xB = new Float64Array(n * pB);
const meanDec = 5.5; const sdDec = Math.sqrt(99 / 12);
for (let i = 0; i < n; i++) {
  xA[i * pA] = 1; if (dec[i] > 1) xA[i * pA + dec[i] - 1] = 1; if (year[i] > 2015) xA[i * pA + 9 + year[i] - 2015] = 1;
  xB[i * pB] = 1; xB[i * pB + 1] = (meanDec - dec[i]) / sdDec; if (year[i] > 2015) xB[i * pB + 1 + year[i] - 2015] = 1;
}

function time<T>(f: () => T): [T, number, number] {
  const c0 = process.cpuUsage(); const t0 = performance.now(); const r = f();
  const c = process.cpuUsage(c0); return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}
const rss = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const [nb, tNb, cNb] = time(() => fitGlm({ y, x: { nrow: n, ncol: pA, data: xA }, family: 'negbin', offset }));
console.log(`${'negative binomial GLM (fitGlm)'.padEnd(40)} time ${tNb.toFixed(2).padStart(6)} s  cpu ${cNb.toFixed(2).padStart(6)} s  ${(n / tNb / 1e6).toFixed(2)} M rows/s  peak RSS ${rss()} MB  θ = ${nb.theta.toFixed(4)}`);
const [mm, tMm, cMm] = time(() => fitGlmm({ y, x: { nrow: n, ncol: pB, data: xB }, groups: la, offset }));
console.log(`${'Poisson GLMM Laplace (fitGlmm)'.padEnd(40)} time ${tMm.toFixed(2).padStart(6)} s  cpu ${cMm.toFixed(2).padStart(6)} s  ${(n / tMm / 1e6).toFixed(2)} M rows/s  peak RSS ${rss()} MB  σ = ${mm.sdRandom.toFixed(4)}, ${mm.iterations} Newton steps`);

const which = spawnSync('sh', ['-c', 'command -v Rscript'], { encoding: 'utf8' });
if (which.status !== 0 || !which.stdout.trim()) console.log('Rscript not found: R comparison skipped');
else {
  const dir = mkdtempSync(join(tmpdir(), 'countbench-'));
  try {
    const buf = new Float64Array(n * 5);
    for (let i = 0; i < n; i++) { buf[i] = y[i]; buf[n + i] = pop[i]; buf[2 * n + i] = dec[i]; buf[3 * n + i] = year[i]; buf[4 * n + i] = la[i]; }
    writeFileSync(join(dir, 'data.bin'), new Uint8Array(buf.buffer));
    writeFileSync(join(dir, 'bench.R'), `
suppressMessages({ library(MASS); library(lme4) })
n <- ${n}; m <- matrix(readBin(file.path("${dir}", "data.bin"), "double", n * 5, endian = "little"), n, 5)
d <- data.frame(count = m[, 1], population = m[, 2], decile = factor(m[, 3]), year = factor(m[, 4]), la = factor(m[, 5]))
d$deprivation <- (5.5 - m[, 3]) / sqrt(99 / 12)
cpu <- function(st) st[["user.self"]] + st[["sys.self"]]
s_nb <- system.time(f <- glm.nb(count ~ decile + year + offset(log(population)), data = d))
s_mm <- system.time(g <- glmer(count ~ deprivation + year + offset(log(population)) + (1 | la), data = d, family = poisson))
cat(sprintf("R nb %.6f %.6f\\nR glmm %.6f %.6f\\n", s_nb[["elapsed"]], cpu(s_nb), s_mm[["elapsed"]], cpu(s_mm)))
cat(sprintf("Rcheck nb_theta %.15g\\nRcheck nb_b2 %.15g\\nRcheck mm_b2 %.15g\\nRcheck mm_sd %.15g\\n", f$theta, coef(f)[2], fixef(g)[2], getME(g, "theta")))
`);
    const r = spawnSync('Rscript', [join(dir, 'bench.R')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) console.log(`R failed: ${r.stderr.slice(-2000)}`);
    const get = (k: string) => { const m = new RegExp(`^R ${k} ([0-9.eE+-]+) ([0-9.eE+-]+)$`, 'm').exec(r.stdout); return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN]; };
    const chk = (k: string) => { const m = new RegExp(`^Rcheck ${k} ([0-9.eE+-]+)$`, 'm').exec(r.stdout); return m ? Number(m[1]) : NaN; };
    const [wNb, cpuNb] = get('nb'); const [wMm, cpuMm] = get('glmm');
    console.log(`${'R MASS::glm.nb'.padEnd(40)} time ${wNb.toFixed(2).padStart(6)} s  cpu ${cpuNb.toFixed(2).padStart(6)} s  R/ours wall ${(wNb / tNb).toFixed(2)}×, cpu ${(cpuNb / cNb).toFixed(2)}×`);
    console.log(`${'R lme4::glmer (Laplace, default control)'.padEnd(40)} time ${wMm.toFixed(2).padStart(6)} s  cpu ${cpuMm.toFixed(2).padStart(6)} s  R/ours wall ${(wMm / tMm).toFixed(2)}×, cpu ${(cpuMm / cMm).toFixed(2)}×`);
    const rel = (a: number, b: number) => (Math.abs(a - b) / Math.abs(b)).toExponential(2);
    console.log(`agreement with R (R at its default tolerances): glm.nb θ ${rel(nb.theta, chk('nb_theta'))}, decile2 ${rel(nb.coef[1], chk('nb_b2'))}; glmer deprivation ${rel(mm.coef[1], chk('mm_b2'))}, σ ${rel(mm.sdRandom, chk('mm_sd'))}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
