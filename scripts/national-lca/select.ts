// National LCA selection with notebook 01 settings from scratch/national-lca.{bin,json} (made by build-matrix.ts): iterate on selection without reloading.
// Usage: node --import tsx scripts/national-lca/select.ts [kRange=10,11,12,13] [starts=8] [keep=3] [relTol=1e-10]
import { readFileSync } from 'node:fs';
import { fitLca, lcaSelectK } from '../../src/lca/index';
const meta = JSON.parse(readFileSync('scratch/national-lca.json', 'utf8'));
const buf = readFileSync('scratch/national-lca.bin');
const codes = new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
const kRange = (process.argv[2] ?? '10,11,12,13').split(',').map(Number);
const starts = Number(process.argv[3] ?? 8);
const keep = Number(process.argv[4] ?? 3);
const relTol = Number(process.argv[5] ?? 1e-10);
console.log('rows', meta.nRows, 'items', meta.nItems, 'true K', meta.truth.labels.length);
const t0 = performance.now();
const fits = kRange.map((K) => {
  const t = performance.now();
  const f = fitLca({ codes, nRows: meta.nRows, nItems: meta.nItems } as any, {
    classes: K, starts, seed: 20240601, maxIter: 800, tol: 1e-6, relTol, workers: false,
    preRun: { iterations: 30, keep }, extendUnconverged: true, replicate: { minCount: 2, maxStarts: 4 * starts },
  });
  console.log(`K=${K} ll=${f.logLik.toFixed(3)} bic=${f.bic.toFixed(1)} conv=${f.converged} iter=${f.iterations} rep=${f.bestLogLikReplicated.count}/${f.bestLogLikReplicated.total} tol=${f.bestLogLikReplicated.tol.toExponential(2)} ${((performance.now() - t) / 1000).toFixed(1)}s`);
  for (const w of f.warnings) console.log('   warn:', w);
  return f;
});
const sel = lcaSelectK(fits);
console.table(sel.table);
for (const w of sel.warnings) console.log('select warn:', w);
console.log('chosen K', sel.chosen?.nClasses, 'true K', meta.truth.labels.length, 'total', ((performance.now() - t0) / 1000).toFixed(1), 's', 'rss', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB');
