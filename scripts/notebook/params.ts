/**
 * Papermill-style parameters: `--param name=value` overrides the defaults of the cell tagged
 * `parameters` by inserting, right after it, a code cell tagged `injected-parameters` that
 * redeclares each name (tslab allows redeclaring const/let in a later cell).
 */
import { cellTags, sourceText, type Cell, type CodeCell, type Notebook, toLines } from './nbformat';

export type ParamValue = number | boolean | string | null | unknown[] | Record<string, unknown>;

/** Numbers, booleans and JSON are parsed; anything else is kept as a string. */
export function parseParamValue(raw: string): ParamValue {
  const trimmed = raw.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^[[{"]/.test(trimmed) || trimmed === 'null') {
    try {
      return JSON.parse(trimmed) as ParamValue;
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Parses "name=value"; the name must be a JS identifier. */
export function parseParamArg(arg: string): [string, ParamValue] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new Error(`--param expects name=value, got "${arg}"`);
  const name = arg.slice(0, eq).trim();
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new Error(`--param: "${name}" is not a valid identifier`);
  return [name, parseParamValue(arg.slice(eq + 1))];
}

export interface InjectionResult {
  notebook: Notebook;
  /** Index of the inserted cell, or -1 when the notebook has no `parameters` cell. */
  injectedIndex: number;
  /** Names not declared in the parameters cell (papermill warns about these too). */
  undeclared: string[];
}

/** Returns a new notebook with the injected cell; the input notebook is not modified. */
export function injectParameters(nb: Notebook, params: Record<string, ParamValue>): InjectionResult {
  const names = Object.keys(params);
  if (names.length === 0) return { notebook: nb, injectedIndex: -1, undeclared: [] };
  const paramIndex = nb.cells.findIndex((c) => c.cell_type === 'code' && cellTags(c).includes('parameters'));
  if (paramIndex < 0) return { notebook: nb, injectedIndex: -1, undeclared: names };
  const declared = sourceText(nb.cells[paramIndex].source);
  const undeclared = names.filter((n) => !new RegExp(`\\b(const|let|var)\\s+${n.replace(/\$/g, '\\$')}\\b`).test(declared));
  const lines = ['// Parameters injected by the notebook runner (--param)'];
  for (const n of names) {
    // Reusing the declared type keeps later cells type-checking against the documented shape
    // (e.g. a data-source union) rather than the narrow type of the injected literal.
    const type = declaredType(declared, n);
    lines.push(`const ${n}${type ? `: ${type}` : ''} = ${JSON.stringify(params[n])};`);
  }
  const injected: CodeCell = {
    cell_type: 'code',
    metadata: { tags: ['injected-parameters'] },
    source: toLines(lines.join('\n')),
    execution_count: null,
    outputs: [],
  };
  if (nb.nbformat_minor >= 5) injected.id = uniqueId(nb.cells, 'injected-parameters');
  const cells: Cell[] = [...nb.cells.slice(0, paramIndex + 1), injected, ...nb.cells.slice(paramIndex + 1)];
  return { notebook: { ...nb, cells }, injectedIndex: paramIndex + 1, undeclared };
}

/** Names declared (const/let/var) in the notebook's `parameters` cell; empty without one. */
export function declaredParameters(nb: Notebook): string[] {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && cellTags(c).includes('parameters'));
  if (!cell) return [];
  const names = new Set<string>();
  for (const m of sourceText(cell.source).matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)/g)) names.add(m[1]);
  return [...names];
}

/** Levenshtein distance (case-insensitive), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length];
}

/** The declared name closest to `name` (fewest edits; ties by name), or null if none is declared. */
export function closestName(name: string, declared: string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const d of [...declared].sort()) {
    const dist = editDistance(name, d);
    if (dist < bestD) { best = d; bestD = dist; }
  }
  return best;
}

/**
 * Error message for --param names that no notebook of the run declares, or null if all are
 * declared. A typo must fail the run: it would otherwise silently run with the default.
 */
export function undeclaredParamsError(names: string[], declaredByNotebook: Record<string, string[]>): string | null {
  const declared = [...new Set(Object.values(declaredByNotebook).flat())].sort();
  const unknown = names.filter((n) => !declared.includes(n));
  if (unknown.length === 0) return null;
  const lines = unknown.map((n) => {
    const near = closestName(n, declared);
    return `--param ${n}: no notebook of this run declares "${n}" in its parameters cell${near ? `; did you mean "${near}"?` : ''}`;
  });
  const run = Object.keys(declaredByNotebook).sort();
  lines.push(`declared parameters: ${declared.length ? declared.join(', ') : 'none'} (notebooks: ${run.join(', ')})`);
  return lines.join('\n');
}

/** The type annotation of `name` in the parameters cell (`const name: T = …`), if any. */
export function declaredType(source: string, name: string): string | null {
  const escaped = name.replace(/\$/g, '\\$');
  const m = new RegExp(`\\b(?:const|let|var)\\s+${escaped}\\s*:\\s*((?:[^=;]|=>)+?)\\s*=(?!>)`).exec(source);
  return m ? m[1].trim() : null;
}

function uniqueId(cells: Cell[], base: string): string {
  const taken = new Set(cells.map((c) => c.id));
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  return id;
}
