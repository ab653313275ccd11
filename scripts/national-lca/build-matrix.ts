// One-off (run under the national lock, ~10 GB): national LCA matrix as a typed binary (Int16 codes, n × J) + JSON meta in scratch/.
import { loadStudyData, buildLcaMatrix } from '../../src/data/index';
import { itemCodes } from '../../src/display/index';
import { writeNationalScratch } from './scratch';
const t0 = performance.now();
const data = await loadStudyData({ kind: 'synthetic', scale: 'national', seed: 1 });
console.log('loaded', ((performance.now() - t0) / 1000).toFixed(1), 's');
const lcaData = await buildLcaMatrix(data, { grouping: 'harmonised', years: [2015, 2016, 2017, 2018, 2019, 2020, 2021] });
const X = itemCodes(lcaData.table, lcaData.items);
const trueClass = Int32Array.from(lcaData.table.array('true_class') as ArrayLike<number>);
writeNationalScratch({
  meta: { nRows: X.nRows, nItems: X.nItems, items: lcaData.items, truth: (data.truth as { classes?: { labels: string[] } } | undefined)?.classes },
  codes: X.codes, trueClass, year: Int32Array.from(lcaData.table.array('census_year') as ArrayLike<number>),
});
console.log('rows', X.nRows, 'items', X.nItems, ((performance.now() - t0) / 1000).toFixed(1), 's', 'rss', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB');
