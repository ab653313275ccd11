/**
 * nbformat 4 types, reading with clear errors, and a structural validator.
 *
 * The validator follows the nbformat 4.5 JSON schema for what matters to viewers and tools
 * (required keys, no unknown keys where the schema forbids them, cell/output types, execution
 * counts, MIME bundle value types). It is not a full JSON-schema engine; Jupyter's own
 * `nbformat.validate` remains the reference (the runner test cross-checks with it when Python's
 * nbformat is installed).
 */
import fs from 'node:fs';

export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
export interface DisplayDataOutput { output_type: 'display_data'; data: MimeBundle; metadata: Record<string, unknown> }
export interface ExecuteResultOutput {
  output_type: 'execute_result'; execution_count: number | null; data: MimeBundle; metadata: Record<string, unknown>;
}
export interface ErrorOutput { output_type: 'error'; ename: string; evalue: string; traceback: string[] }
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellMetadata { tags?: string[]; [key: string]: unknown }
export interface CodeCell {
  cell_type: 'code'; id?: string; metadata: CellMetadata; source: MultilineString;
  execution_count: number | null; outputs: Output[];
}
export interface TextCell {
  cell_type: 'markdown' | 'raw'; id?: string; metadata: CellMetadata; source: MultilineString;
  attachments?: Record<string, unknown>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Splits text into Jupyter's list-of-lines form (each line keeps its "\n"). */
export function toLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** Reads and structurally validates a notebook; errors name the file and the problem. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read notebook (${(e as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const problems = validateNotebook(parsed);
  if (problems.length > 0) {
    throw new Error(`${file}: not a valid nbformat 4 notebook:\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
  return parsed as Notebook;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isMultiline = (x: unknown) => typeof x === 'string' || (Array.isArray(x) && x.every((s) => typeof s === 'string'));
const isCount = (x: unknown) => x === null || (typeof x === 'number' && Number.isInteger(x) && x >= 0);

function unknownKeys(obj: Record<string, unknown>, allowed: string[], where: string, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push(`${where}: unexpected key "${key}"`);
  }
}

function checkMimeBundle(data: unknown, where: string, problems: string[]): void {
  if (!isObject(data)) {
    problems.push(`${where}.data: must be an object`);
    return;
  }
  for (const [mime, value] of Object.entries(data)) {
    if (!/^[a-z]+\/[^\s]+$/i.test(mime)) problems.push(`${where}.data: "${mime}" is not a MIME type`);
    // The schema lets only JSON MIME types carry structured values.
    if (!/json$/i.test(mime) && !isMultiline(value)) problems.push(`${where}.data["${mime}"]: must be a string or list of strings`);
  }
}

function checkOutput(output: unknown, where: string, problems: string[]): void {
  if (!isObject(output)) {
    problems.push(`${where}: must be an object`);
    return;
  }
  switch (output.output_type) {
    case 'stream':
      unknownKeys(output, ['output_type', 'name', 'text'], where, problems);
      if (output.name !== 'stdout' && output.name !== 'stderr') problems.push(`${where}.name: must be stdout or stderr`);
      if (!isMultiline(output.text)) problems.push(`${where}.text: must be a string or list of strings`);
      break;
    case 'display_data':
      unknownKeys(output, ['output_type', 'data', 'metadata'], where, problems);
      checkMimeBundle(output.data, where, problems);
      if (!isObject(output.metadata)) problems.push(`${where}.metadata: required object`);
      break;
    case 'execute_result':
      unknownKeys(output, ['output_type', 'data', 'metadata', 'execution_count'], where, problems);
      checkMimeBundle(output.data, where, problems);
      if (!isObject(output.metadata)) problems.push(`${where}.metadata: required object`);
      if (!('execution_count' in output) || !isCount(output.execution_count)) problems.push(`${where}.execution_count: required integer or null`);
      break;
    case 'error':
      unknownKeys(output, ['output_type', 'ename', 'evalue', 'traceback'], where, problems);
      if (typeof output.ename !== 'string') problems.push(`${where}.ename: required string`);
      if (typeof output.evalue !== 'string') problems.push(`${where}.evalue: required string`);
      if (!Array.isArray(output.traceback) || !output.traceback.every((s) => typeof s === 'string')) {
        problems.push(`${where}.traceback: required list of strings`);
      }
      break;
    default:
      problems.push(`${where}.output_type: unknown "${String(output.output_type)}"`);
  }
}

/** Returns a list of problems (empty = structurally valid nbformat 4). */
export function validateNotebook(nb: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(nb)) return ['notebook: must be a JSON object'];
  unknownKeys(nb, ['nbformat', 'nbformat_minor', 'metadata', 'cells'], 'notebook', problems);
  if (nb.nbformat !== 4) problems.push(`notebook.nbformat: must be 4 (got ${JSON.stringify(nb.nbformat)})`);
  const minor = nb.nbformat_minor;
  if (typeof minor !== 'number' || !Number.isInteger(minor) || minor < 0) problems.push('notebook.nbformat_minor: required non-negative integer');
  if (!isObject(nb.metadata)) problems.push('notebook.metadata: required object');
  if (!Array.isArray(nb.cells)) {
    problems.push('notebook.cells: required list');
    return problems;
  }
  const needsIds = typeof minor === 'number' && minor >= 5;
  const ids = new Set<string>();
  nb.cells.forEach((cell: unknown, i: number) => {
    const where = `cell ${i + 1}`;
    if (!isObject(cell)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    if (needsIds || 'id' in cell) {
      if (typeof cell.id !== 'string' || !/^[a-zA-Z0-9-_]{1,64}$/.test(cell.id)) {
        problems.push(`${where}.id: required (nbformat ≥ 4.5), 1-64 characters of [a-zA-Z0-9-_]`);
      } else if (ids.has(cell.id)) {
        problems.push(`${where}.id: duplicate "${cell.id}"`);
      } else {
        ids.add(cell.id);
      }
    }
    if (!isObject(cell.metadata)) problems.push(`${where}.metadata: required object`);
    if (!isMultiline(cell.source)) problems.push(`${where}.source: required string or list of strings`);
    if (cell.cell_type === 'code') {
      unknownKeys(cell, ['id', 'cell_type', 'metadata', 'source', 'execution_count', 'outputs'], where, problems);
      if (!('execution_count' in cell) || !isCount(cell.execution_count)) problems.push(`${where}.execution_count: required integer or null`);
      if (!Array.isArray(cell.outputs)) problems.push(`${where}.outputs: required list`);
      else cell.outputs.forEach((o: unknown, j: number) => checkOutput(o, `${where} output ${j + 1}`, problems));
    } else if (cell.cell_type === 'markdown' || cell.cell_type === 'raw') {
      unknownKeys(cell, ['id', 'cell_type', 'metadata', 'source', 'attachments'], where, problems);
    } else {
      problems.push(`${where}.cell_type: unknown "${String(cell.cell_type)}"`);
    }
  });
  return problems;
}
