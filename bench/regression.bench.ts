/**
 * Regression benchmarks (npm run bench -- regression; --quick for 60k rows while developing).
 * Simulated pupil-level data: 600k rows, 152 LAs, 26 numeric covariates + ethnicity (5 levels)
 * + IDACI decile (10 levels) → 40 design columns with the intercept.
 *  (a) design: arquero table → design matrix (buildDesign)
 *  (b) OLS + cluster-robust (by LA) vcov: fitOls, and table-level ols() (design + fit)
 *  (c) logit + cluster-robust vcov (IRLS)
 *  (d) random-intercept LMM (1 | la), REML; and (1 | la/school) with ≈3000 schools (ours only)
 * When Rscript is on PATH, the same models run in R in the same process tree: the data go over
 * as a raw binary file (read outside the timer); R times lm + sandwich::vcovCL, glm + vcovCL
 * and lmer with system.time, and each line prints the ratio R time / our time (> 1: we are faster).
 * Each line: case, time, rows/s, peak RSS.
 */
import * as aq from 'arquero';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/core/random';
import { buildDesign } from '../src/formula/index';
import { fitLmm, fitLogit, fitOls, ols } from '../src/regression/index';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const n = quick ? 60_000 : 600_000;
const nLa = 152;
const nNum = 26;

function rssMB(): number { return process.resourceUsage().maxRSS / 1024; }
function line(name: string, seconds: number, extra = '', label = ''): void {
  const cpu = label && cpuOf[label] !== undefined ? `  cpu ${cpuOf[label].toFixed(2).padStart(6)} s` : '';
  console.log(`${name.padEnd(46)} time ${seconds.toFixed(2).padStart(7)} s${cpu}   ${(n / seconds / 1e6).toFixed(2).padStart(6)} M rows/s   peak RSS ${rssMB().toFixed(0)} MB ${extra}`);
}
const cpuOf: Record<string, number> = {};
/** Wall time in s; CPU time (user + system, s) is kept in cpuOf[label] — fairer on a shared machine. */
function time<T>(f: () => T, label = ''): [T, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  if (label) cpuOf[label] = (c.user + c.system) / 1e6;
  return [r, (performance.now() - t0) / 1000];
}

// ---- data ----------------------------------------------------------------------------
const rng = createRng(600);
const cols: Record<string, unknown[] | Float64Array> = {};
const num: Float64Array[] = [];
for (let j = 0; j < nNum; j++) { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = rng.nextNormal(); num.push(a); cols[`x${j + 1}`] = a; }
const ethLevels = ['White', 'Asian', 'Black', 'Mixed', 'Other'];
const ethCode = new Int32Array(n); const decile = new Int32Array(n); const la = new Int32Array(n);
const eth: string[] = new Array(n);
const laEffect = Array.from({ length: nLa }, () => 0.5 * rng.nextNormal());
const y = new Float64Array(n); const yb = new Float64Array(n);
for (let i = 0; i < n; i++) {
  ethCode[i] = rng.nextInt(5); eth[i] = ethLevels[ethCode[i]]; decile[i] = 1 + rng.nextInt(10); la[i] = 1 + rng.nextInt(nLa);
  let mu = 1 + 0.1 * ethCode[i] - 0.05 * decile[i] + laEffect[la[i] - 1];
  for (let j = 0; j < nNum; j++) mu += (j % 5 === 0 ? 0.2 : 0.02) * num[j][i];
  y[i] = mu + rng.nextNormal();
  yb[i] = rng.nextFloat() < 1 / (1 + Math.exp(-(mu - 1))) ? 1 : 0;
}
cols.eth = eth; cols.decile = Array.from(decile); cols.la = Array.from(la); cols.y = y; cols.yb = yb;
const table = aq.table(cols);
const rhs = `${Array.from({ length: nNum }, (_, j) => `x${j + 1}`).join(' + ')} + eth + decile`;
const spec = { formula: `y ~ ${rhs}`, levels: { eth: ethLevels }, factors: ['decile'] };
console.log(`regression bench: n = ${n}, ${nLa} LAs, design columns = 1 + ${nNum} + 4 + 9 = 40${quick ? ' (--quick)' : ''}`);

// ---- ours ------------------------------------------------------------------------------
const ours: Record<string, number> = {};
const [design, tDesign] = time(() => buildDesign(table, spec, { extraColumns: ['la'], checkCollinear: false }), 'design');
line(`design: buildDesign (table → ${n / 1000}k×40)`, tDesign, '', 'design'); ours.design = tDesign;
const [olsFit, tOls] = time(() => fitOls({ y: design.y!, x: design.x, names: design.names, vcov: 'cluster', cluster: design.extra.la }), 'ols');
line('OLS + cluster vcov: fitOls', tOls, '', 'ols'); ours.ols = tOls;
const [, tOlsTable] = time(() => ols(table, spec, { vcov: 'cluster', cluster: 'la' }), 'olsTable');
line('OLS + cluster vcov: ols(table) incl. design', tOlsTable, '', 'olsTable'); ours.olsTable = tOlsTable;
const [logitFit, tLogit] = time(() => fitLogit({ y: yb, x: design.x, names: design.names, vcov: 'cluster', cluster: design.extra.la }), 'logit');
line('logit + cluster vcov: fitLogit', tLogit, `(${logitFit.iterations} IRLS iterations)`, 'logit'); ours.logit = tLogit;
const [lmmFit, tLmm] = time(() => fitLmm({ y: design.y!, x: design.x, names: design.names, groups: design.extra.la, reml: true }), 'lmm');
line('LMM (1 | la) REML: fitLmm', tLmm, `(${lmmFit.evaluations} deviance evaluations)`, 'lmm'); ours.lmm = tLmm;
// Two nested levels: ~20 schools per LA (≈3000 schools), ours only (not compared with R).
const school = new Int32Array(n);
for (let i = 0; i < n; i++) school[i] = (la[i] - 1) * 20 + ((i * 7919) % 20);
const [lmm2, tLmm2] = time(() => fitLmm({ y: design.y!, x: design.x, names: design.names, groups: [design.extra.la, school], groupNames: ['la', 'school'], reml: true }), 'lmm2');
line('LMM (1 | la/school) REML: fitLmm', tLmm2, `(${lmm2.nGroups[1]} schools, ${lmm2.evaluations} deviance evaluations)`, 'lmm2');

// ---- R -----------------------------------------------------------------------------------
const which = spawnSync('sh', ['-c', 'command -v Rscript'], { encoding: 'utf8' });
if (which.status !== 0 || !which.stdout.trim()) {
  console.log('Rscript not found: R comparison skipped');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'regbench-'));
  try {
    const p = nNum + 5; // numeric + eth code + decile + la + y + yb
    const buf = new Float64Array(n * p);
    for (let j = 0; j < nNum; j++) buf.set(num[j], j * n);
    for (let i = 0; i < n; i++) { buf[nNum * n + i] = ethCode[i]; buf[(nNum + 1) * n + i] = decile[i]; buf[(nNum + 2) * n + i] = la[i]; }
    buf.set(y, (nNum + 3) * n); buf.set(yb, (nNum + 4) * n);
    writeFileSync(join(dir, 'data.bin'), new Uint8Array(buf.buffer));
    const script = `
suppressMessages({ library(sandwich); library(lme4) })
n <- ${n}; p <- ${p}; k <- ${nNum}
m <- matrix(readBin(file.path("${dir}", "data.bin"), "double", n * p, endian = "little"), n, p)
d <- as.data.frame(m[, 1:k]); names(d) <- paste0("x", 1:k)
d$eth <- factor(c("White","Asian","Black","Mixed","Other")[m[, k + 1] + 1], levels = c("White","Asian","Black","Mixed","Other"))
d$decile <- factor(m[, k + 2]); d$la <- m[, k + 3]; d$y <- m[, k + 4]; d$yb <- m[, k + 5]
f <- as.formula(paste("y ~", paste(c(paste0("x", 1:k), "eth", "decile"), collapse = " + ")))
fb <- update(f, yb ~ .)
cpu <- function(st) st[["user.self"]] + st[["sys.self"]]
s_ols <- system.time({ fit <- lm(f, data = d); V <- vcovCL(fit, cluster = d$la, type = "HC1") })
s_glm <- system.time({ g <- glm(fb, data = d, family = binomial()); Vg <- vcovCL(g, cluster = d$la) })
s_lmer <- system.time({ l <- lmer(update(f, . ~ . + (1 | la)), data = d, REML = TRUE) })
cat(sprintf("R %s %.6f %.6f\\n", c("ols", "glm", "lmer"), c(s_ols[["elapsed"]], s_glm[["elapsed"]], s_lmer[["elapsed"]]), c(cpu(s_ols), cpu(s_glm), cpu(s_lmer))), sep = "")
cat(sprintf("Rcheck ols_se1 %.15g\\nRcheck glm_b1 %.15g\\nRcheck lmer_theta %.15g\\n", sqrt(V[2, 2]), coef(g)[2], getME(l, "theta")))
`;
    writeFileSync(join(dir, 'bench.R'), script);
    const r = spawnSync('Rscript', [join(dir, 'bench.R')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) console.log(`R failed: ${r.stderr.slice(-2000)}`);
    const get = (key: string): [number, number] => { const m = new RegExp(`^R ${key} ([0-9.eE+-]+) ([0-9.eE+-]+)$`, 'm').exec(r.stdout); return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN]; };
    const chk = (key: string) => { const m = new RegExp(`^Rcheck ${key} ([0-9.eE+-]+)$`, 'm').exec(r.stdout); return m ? Number(m[1]) : NaN; };
    const report = (name: string, key: string, mine: string[]) => {
      const [wall, cpu] = get(key);
      const ratios = mine.map((lab) => `${lab}: wall ${(wall / ours[lab]).toFixed(2)}×, cpu ${(cpu / cpuOf[lab]).toFixed(2)}×`).join('; ');
      console.log(`${name.padEnd(46)} time ${wall.toFixed(2).padStart(7)} s  cpu ${cpu.toFixed(2).padStart(6)} s   R/ours ${ratios}`);
    };
    report('R lm + sandwich::vcovCL', 'ols', ['ols', 'olsTable']);
    report('R glm(binomial) + vcovCL', 'glm', ['logit']);
    report('R lmer (1 | la) REML', 'lmer', ['lmm']);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    console.log(`agreement with R: cluster SE(x1) rel diff ${rel(olsFit.se[1], chk('ols_se1')).toExponential(2)}, glm coef(x1) ${rel(logitFit.coef[1], chk('glm_b1')).toExponential(2)}, lmer theta ${rel(lmmFit.theta[0], chk('lmer_theta')).toExponential(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
