// npm exec tsx scripts/build-notebooks.ts [names...]
// Turns the readable notebook sources in scripts/nb-sources/*.md into nbformat 4.5 notebooks in
// notebooks/. In a source, a fenced block opened with ```ts is a code cell (further words on the
// fence line are cell tags, e.g. ```ts parameters); all other text forms markdown cells, split at
// lines holding only `+++`. The checked-in .ipynb is the product; rebuild after editing a source.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

interface Cell {
  cell_type: 'markdown' | 'code';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: unknown[];
}

function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
}

export function parseSource(text: string, name: string): Cell[] {
  const cells: Cell[] = [];
  const push = (type: 'markdown' | 'code', body: string, tags: string[]) => {
    const trimmed = body.replace(/^\n+|\n+$/g, '');
    if (trimmed === '') return;
    const id = createHash('sha1').update(`${name}:${cells.length}`).digest('hex').slice(0, 8);
    const cell: Cell = { cell_type: type, id, metadata: tags.length ? { tags } : {}, source: lines(trimmed) };
    if (type === 'code') {
      cell.execution_count = null;
      cell.outputs = [];
    }
    cells.push(cell);
  };
  const rows = text.split('\n');
  let md: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const fence = rows[i].match(/^```ts\b(.*)$/);
    if (fence) {
      push('markdown', md.join('\n'), []);
      md = [];
      const body: string[] = [];
      i++;
      while (i < rows.length && rows[i] !== '```') body.push(rows[i++]);
      if (i >= rows.length) throw new Error(`${name}: unclosed code fence`);
      push('code', body.join('\n'), fence[1].trim().split(/\s+/).filter(Boolean));
    } else if (rows[i].trim() === '+++') {
      push('markdown', md.join('\n'), []);
      md = [];
    } else md.push(rows[i]);
  }
  push('markdown', md.join('\n'), []);
  return cells;
}

function build(srcFile: string, outFile: string): void {
  const cells = parseSource(readFileSync(srcFile, 'utf8'), path.basename(srcFile));
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript (tslab, csc-outcomes)', language: 'typescript', name: 'tslab' },
      language_info: { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '5.0' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(outFile, JSON.stringify(nb, null, 1) + '\n');
  console.log(`wrote ${outFile} (${cells.length} cells)`);
}

const srcDir = path.join(process.cwd(), 'scripts', 'nb-sources');
const wanted = process.argv.slice(2);
for (const f of readdirSync(srcDir).sort()) {
  if (!f.endsWith('.md')) continue;
  const base = f.replace(/\.md$/, '');
  if (wanted.length && !wanted.some((w) => base.startsWith(w))) continue;
  build(path.join(srcDir, f), path.join(process.cwd(), 'notebooks', base + '.ipynb'));
}
