// npm run check-outputs [-- files-or-dirs...] [--min-count N] [--max-rows N] [--style]
// Scans executed notebooks (default: out/*.ipynb) for counts below the disclosure threshold and
// record-level output, differencing and unprotected figures, and with --style for code cells breaking
// the project's notebook style (scripts/notebook/cell-style.ts; notebooks/*.ipynb are held to it by
// test/runner/cell-style.test.ts); exits 1 listing notebook, cell, output
// and offending value if any are found (see src/display/check.ts for the rules).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { checkNotebook, OutputProblem } from '../src/display/check';
import { sdcRules } from '../src/display/sdc';
import { cellStyleProblems, type CellStyleProblem } from './notebook/cell-style';
import type { Notebook } from './notebook/nbformat';

function main(argv: string[]): number {
  const targets: string[] = [];
  let minCount: number | undefined;
  let maxRows: number | undefined;
  let checkStyle = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--min-count') minCount = Number(argv[++i]);
    else if (a === '--max-rows') maxRows = Number(argv[++i]);
    else if (a === '--style') checkStyle = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: check-outputs [files or directories...] [--min-count N] [--max-rows N] [--style]  (default: out/)');
      return 0;
    } else targets.push(a);
  }
  if (targets.length === 0) targets.push('out');
  const files: string[] = [];
  for (const t of targets) {
    if (!existsSync(t)) {
      console.error(`check-outputs: ${t} does not exist (run \`npm run notebooks\` first to produce out/*.ipynb)`);
      return 2;
    }
    if (statSync(t).isDirectory()) {
      for (const f of readdirSync(t).sort()) if (f.endsWith('.ipynb')) files.push(path.join(t, f));
    } else files.push(t);
  }
  if (files.length === 0) {
    console.error(`check-outputs: no .ipynb files in ${targets.join(', ')}`);
    return 2;
  }
  const rules = sdcRules(minCount !== undefined ? { minCount } : {});
  const problems: OutputProblem[] = [];
  const style: CellStyleProblem[] = [];
  for (const f of files) {
    let nb: unknown;
    try {
      nb = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      console.error(`check-outputs: ${f} is not valid JSON: ${(e as Error).message}`);
      return 2;
    }
    problems.push(...checkNotebook(nb, f, { rules, maxTableRows: maxRows }));
    if (checkStyle) style.push(...cellStyleProblems(nb as Notebook, f));
  }
  // Notebook style (cells of ≤ 15 code lines, no `any`, no loops) is checked on the same files.
  for (const p of style) console.error(`${p.notebook}: cell ${p.cell}: style: ${p.detail}`);
  for (const p of problems) {
    const line = `${p.notebook}: cell ${p.cell} output ${p.output}: ${p.severity === 'fail' ? '' : 'review: '}${p.kind}: ${p.detail}${p.value !== undefined ? ` [value: ${p.value}]` : ''}`;
    if (p.severity === 'fail') console.error(line);
    else console.log(line);
  }
  const failed = problems.filter((p) => p.severity === 'fail');
  if (failed.length > 0 || style.length > 0) {
    const where = new Set([...failed, ...style].map((p) => p.notebook)).size;
    console.error(`check-outputs: FAILED, ${failed.length + style.length} problem(s) in ${where} notebook(s)`);
    return 1;
  }
  console.log(`check-outputs: ${files.length} notebook(s) clean (minimum count ${rules.minCount}, rounding ${rules.roundTo})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
