// Distinct response patterns of the national LCA matrix (scratch/, from build-matrix.ts), overall and per census-year group
// (the pandemic comparison's two periods): the E-step and M-step cost scales with these counts, not with rows.
// Usage: node --import tsx scripts/national-lca/patterns.ts [pandemicYear=2021]
import { compressPatterns } from '../../src/lca/prepare';
import { readNationalScratch } from './scratch';
const { X: { codes }, meta, year } = readNationalScratch();
const pandemicYear = Number(process.argv[2] ?? 2021);
const n = meta.nRows;
const J = meta.nItems;
const all = compressPatterns(codes, n, J, null);
const group = new Float64Array(n);
for (let i = 0; i < n; i++) group[i] = year[i] === pandemicYear ? 1 : 0;
const byGroup = compressPatterns(codes, n, J, null, { x: group, S: 1 });
let single = 0;
for (let p = 0; p < all.nPatterns; p++) if (all.weights[p] === 1) single++;
console.log(`rows ${n}, items ${J}: ${all.nPatterns} distinct patterns (${single} seen once); with the period in the key ${byGroup.nPatterns}`);
