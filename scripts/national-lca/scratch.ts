// The national LCA matrix kept in scratch/ by build-matrix.ts, so the other scripts here can iterate on
// model selection, patterns and the pandemic comparison without a 10 GB reload. One place names the files.
import { readFileSync, writeFileSync } from 'node:fs';

const FILES = { meta: 'scratch/national-lca.json', codes: 'scratch/national-lca.bin', year: 'scratch/national-year.bin', trueClass: 'scratch/national-trueclass.bin' };

export interface NationalScratchMeta { nRows: number; nItems: number; items: string[]; truth?: { labels: string[] } }

export function writeNationalScratch(o: { meta: NationalScratchMeta; codes: Int16Array; year: Int32Array; trueClass: Int32Array }): void {
  writeFileSync(FILES.codes, Buffer.from(o.codes.buffer, o.codes.byteOffset, o.codes.byteLength));
  writeFileSync(FILES.trueClass, Buffer.from(o.trueClass.buffer, o.trueClass.byteOffset, o.trueClass.byteLength));
  writeFileSync(FILES.year, Buffer.from(o.year.buffer, o.year.byteOffset, o.year.byteLength));
  writeFileSync(FILES.meta, JSON.stringify(o.meta));
}

/** The matrix (n × J Int16 codes as fitLca takes it), each row's census year, and the meta. */
export function readNationalScratch(): { meta: NationalScratchMeta; X: { codes: Int16Array; nRows: number; nItems: number }; year: Int32Array } {
  const meta = JSON.parse(readFileSync(FILES.meta, 'utf8')) as NationalScratchMeta;
  const buf = readFileSync(FILES.codes);
  const codes = new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
  const yb = readFileSync(FILES.year);
  const year = new Int32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
  return { meta, X: { codes, nRows: meta.nRows, nItems: meta.nItems }, year };
}
