/**
 * The notebook style rule (brief, style 5): code cells of at most ~15 lines that call the library, with
 * no `any`, no loops. Lines are counted without blank and comment-only lines (a parameters cell's
 * comments document its parameters). Used by `npm run check-outputs` and test/runner/cell-style.test.ts.
 */
import { sourceText, type Notebook } from './nbformat';

export const MAX_CELL_LINES = 15;

export interface CellStyleProblem {
  readonly notebook: string;
  /** 1-based cell number, as the runner and Jupyter count them. */
  readonly cell: number;
  readonly detail: string;
}

const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/\bas any\b/, '`as any`'],
  [/:\s*any\b(?!\w)/, '`: any`'],
  [/\bfor\s*\(/, 'a `for` loop'],
  [/\bwhile\s*\(/, 'a `while` loop'],
];

/** Code lines of a cell: not blank, not a `//` comment line. */
export function codeLines(source: string): string[] {
  return source.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
}

/** Every code cell of `nb` longer than MAX_CELL_LINES code lines or holding `any` or a loop. */
export function cellStyleProblems(nb: Notebook, notebook: string, maxLines = MAX_CELL_LINES): CellStyleProblem[] {
  const out: CellStyleProblem[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== 'code') return;
    const src = sourceText(c.source);
    const code = codeLines(src);
    if (code.length > maxLines) out.push({ notebook, cell: i + 1, detail: `${code.length} code lines (at most ${maxLines}): move the logic into the library` });
    const body = code.join('\n');
    for (const [re, what] of FORBIDDEN) if (re.test(body)) out.push({ notebook, cell: i + 1, detail: `${what}: notebooks call the library, they hold no statistics, loops or \`any\`` });
  });
  return out;
}
