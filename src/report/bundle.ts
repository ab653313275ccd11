/** A PublicationTable as a notebook display bundle (HTML + text), for emitDisplay / show. */
import type { PublicationTable } from './modelTable';
import { tableHtml, tableText } from './render';
import { tableBundle } from '../display/html';
import type { ProtectedTable } from '../display/sdc';

/** A Jupyter display bundle of a publication table: text/html (tableHtml) and text/plain (tableText). */
export function publicationBundle(t: PublicationTable): { data: Record<string, string>; metadata: Record<string, unknown> } {
  return { data: { 'text/html': tableHtml(t), 'text/plain': tableText(t) }, metadata: {} };
}

/** A captioned table; several are shown as one display (truth reports, the pandemic comparison). */
export interface TableSection {
  readonly caption: string;
  readonly table: ProtectedTable;
}

/**
 * Several captioned tables as one Jupyter MIME bundle (text/html and text/plain). Each table keeps the
 * disclosure tags of tableBundle, so the output checker reads it as it reads any table.
 */
export function sectionsBundle(sections: readonly TableSection[]): { data: Record<string, string>; metadata: Record<string, unknown> } {
  const parts = sections.map((s) => tableBundle(s.table, { caption: s.caption }).data);
  return {
    data: { 'text/html': parts.map((p) => p['text/html']).join('\n'), 'text/plain': parts.map((p) => p['text/plain']).join('\n\n') },
    metadata: {},
  };
}
