/**
 * A CIN census XML return as a light element tree with physical line numbers. fast-xml-parser does the
 * parsing (preserveOrder keeps repeated elements in document order; captureMetaData gives each element's
 * character offset), and a table of line starts turns offsets into 1-based lines. Line breaks are LF,
 * CRLF or a lone CR, so a CR-only file still has its real line numbers.
 */
import * as fs from 'fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DataError } from '../errors';

export interface XNode {
  name: string;
  /** 1-based physical line of the element's start tag */
  line: number;
  /** trimmed text content ('' for elements with children only) */
  text: string;
  children: XNode[];
}

/** offsets at which each line starts; line k (1-based) starts at starts[k-1] */
export function lineStarts(text: string): Int32Array {
  const out: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) out.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(i + 1);
    }
  }
  return Int32Array.from(out);
}

export function lineOf(starts: Int32Array, offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

/** Read, decode (UTF-8, strictly) and parse a return; throws DataError naming the file (and line when known). */
export function readXmlTree(file: string): { root: XNode } {
  if (!fs.existsSync(file)) throw new DataError(`CIN census XML return not found: expected a file at ${file}`, { file });
  const bytes = fs.readFileSync(file);
  if (bytes.length === 0) throw new DataError('CIN census XML return is empty (0 bytes)', { file });
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
  catch {
    // the line of the first byte sequence that is not UTF-8 (where the lenient decoder puts its first replacement character)
    const loose = new TextDecoder('utf-8').decode(bytes);
    const at = loose.indexOf('\uFFFD');
    const line = at < 0 ? null : (loose.slice(0, at).match(/\r\n|\r|\n/g) ?? []).length + 1;
    throw new DataError(`CIN census XML return is not valid UTF-8 (DfE returns are UTF-8)${line === null ? '' : `: line ${line} holds a byte that is not UTF-8 (Windows-1252/Latin-1?)`}; re-save it as UTF-8`, { file, row: line });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const err = valid.err;
    throw new DataError(`CIN census XML return is not well-formed XML: ${err.msg} (column ${err.col})`, { file, row: err.line });
  }
  const parser = new XMLParser({ preserveOrder: true, captureMetaData: true, ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, processEntities: true });
  const doc = parser.parse(text) as unknown[];
  const starts = lineStarts(text);
  const meta = XMLParser.getMetaDataSymbol() as unknown as string;
  const build = (nodes: unknown[]): XNode[] => {
    const out: XNode[] = [];
    for (const n of nodes as Array<Record<string, unknown>>) {
      const name = Object.keys(n).find((k) => k !== ':@');
      if (name === undefined || name === '#text' || name.startsWith('?') || name === '#comment') continue;
      const inner = (n[name] ?? []) as Array<Record<string, unknown>>;
      const kids = build(inner);
      let txt = '';
      for (const c of inner) if ('#text' in c) txt += String(c['#text']);
      const m = n[meta] as { startIndex?: number } | undefined;
      out.push({ name, line: lineOf(starts, m?.startIndex ?? 0), text: txt.trim(), children: kids });
    }
    return out;
  };
  const top = build(doc);
  if (top.length !== 1 || top[0].name !== 'Message') {
    throw new DataError(`CIN census XML return: expected one root element <Message> (DfE CIN schema), found ${top.map((t) => `<${t.name}>`).join(', ') || 'none'}`, { file, field: 'Message' });
  }
  return { root: top[0] };
}

export function child(n: XNode | undefined, name: string): XNode | undefined {
  if (!n) return undefined;
  for (const c of n.children) if (c.name === name) return c;
  return undefined;
}

export function children(n: XNode | undefined, name: string): XNode[] {
  return n ? n.children.filter((c) => c.name === name) : [];
}

export function textOf(n: XNode | undefined, name: string): string {
  return child(n, name)?.text ?? '';
}
