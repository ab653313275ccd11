/** A PublicationTable as a notebook display bundle (HTML + text), for emitDisplay / show. */
import type { PublicationTable } from './modelTable';
import { tableHtml, tableText } from './render';

/** A Jupyter display bundle of a publication table: text/html (tableHtml) and text/plain (tableText). */
export function publicationBundle(t: PublicationTable): { data: Record<string, string>; metadata: Record<string, unknown> } {
  return { data: { 'text/html': tableHtml(t), 'text/plain': tableText(t) }, metadata: {} };
}
