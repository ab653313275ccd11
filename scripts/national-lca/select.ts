// National LCA selection with notebook 01 settings from scratch/national-lca.{bin,json} (made by build-matrix.ts): iterate on selection without reloading.
// Usage: node --import tsx scripts/national-lca/select.ts [kRange=10,11,12,13] [starts=8] [keep=3] [relTol=1e-10]
import { fitLca, lcaSelectK } from '../../src/lca/index';
import { DEMAND_TYPOLOGY_DEFAULTS, typologyFitOptions } from '../../src/classeffects/index';
import { readNationalScratch } from './scratch';
const { X, meta } = readNationalScratch();
const kRange = (process.argv[2] ?? '10,11,12,13').split(',').map(Number);
const starts = Number(process.argv[3] ?? 8);
const keep = Number(process.argv[4] ?? 3);
const relTol = Number(process.argv[5] ?? 1e-10);
console.log('rows', meta.nRows, 'items', meta.nItems, 'true K', meta.truth?.labels.length ?? 'unknown');
const t0 = performance.now();
const fits = kRange.map((K) => {
  const t = performance.now();
  // notebook 01's settings, with the command line's starts, pre-run keep and relTol
  const f = fitLca(X, {
    classes: K, ...typologyFitOptions({ ...DEMAND_TYPOLOGY_DEFAULTS, starts, relTol, preRun: { iterations: 30, keep }, replicate: { minCount: 2, maxStarts: 4 * starts } }),
  });
  console.log(`K=${K} ll=${f.logLik.toFixed(3)} bic=${f.bic.toFixed(1)} conv=${f.converged} iter=${f.iterations} rep=${f.bestLogLikReplicated.count}/${f.bestLogLikReplicated.total} tol=${f.bestLogLikReplicated.tol.toExponential(2)} ${((performance.now() - t) / 1000).toFixed(1)}s`);
  for (const w of f.warnings) console.log('   warn:', w);
  return f;
});
const sel = lcaSelectK(fits);
console.table(sel.table);
for (const w of sel.warnings) console.log('select warn:', w);
console.log('chosen K', sel.chosen?.nClasses, 'true K', meta.truth?.labels.length ?? 'unknown', 'total', ((performance.now() - t0) / 1000).toFixed(1), 's', 'rss', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB');
