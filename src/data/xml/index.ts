/**
 * LA CIN census XML returns -> StagedCinReturn (see ../staging.ts), for every schema year LAs return:
 * 2017, 2021, 2022 and 2024 (../shared/specs/cin-census/) and 2025 on, where <Sex> (F/M/U) replaces
 * <GenderCurrent> (0/1/2/9). Codes are checked against the code lists of the return's own schema year
 * (picked from Header/CollectionDetails/Year, else ReferenceDate). Every finding names the file, the
 * physical line, the element path, the value, the LAchildID and a rule from CIN_XML_RULES.
 *
 *   const r = readCinXmlReturn('return.xml');   // { censusYear, schemaYear, episodes, findings, ... }
 *
 * Errors: DataError for a missing, empty, non-UTF-8 or malformed file, a root other than <Message>,
 * or a header without a census year or LEA. Accounting: episodesRead = episodes.length + episodesExcluded,
 * and there is exactly one finding with action 'excluded' per excluded episode.
 */
import type { StagedCinReturn } from '../staging';
import { DataError } from '../errors';
import { readXmlTree, child, children } from './tree';
import { FindingSink } from './rules';
import { readHeader } from './header';
import { readChild } from './episode';

export { CIN_XML_RULES, type CinXmlRule } from './rules';
export { readXmlTree, lineStarts, lineOf, type XNode } from './tree';

export interface ReadCinXmlOptions {
  /** force the code lists of this schema year instead of the one the header's census year implies */
  schemaYear?: number;
}

export function readCinXmlReturn(file: string, options: ReadCinXmlOptions = {}): StagedCinReturn {
  const { root } = readXmlTree(file);
  const sink = new FindingSink(file);
  const header = readHeader(file, root, sink, options);
  const list = child(root, 'Children');
  const kids = children(list, 'Child');
  if (kids.length === 0) throw new DataError('CIN census XML return has no <Child> elements under <Children>', { file, field: 'Children/Child', row: (list ?? root).line });
  const ctx = { sink, codes: header.codes, unknownElements: new Set<string>() };
  const out: StagedCinReturn = {
    file, la: header.la, censusYear: header.censusYear, schemaYear: header.schemaYear,
    childrenRead: kids.length, childrenWithoutDetails: 0, episodes: [], episodesRead: 0, episodesExcluded: 0, findings: sink.findings,
  };
  for (const k of kids) {
    const r = readChild(k, ctx);
    out.episodesRead += r.read;
    out.episodesExcluded! += r.excluded;
    if (!r.hasDetails) out.childrenWithoutDetails++;
    for (const e of r.episodes) out.episodes.push(e);
  }
  const excludedFindings = sink.findings.filter((f) => f.action === 'excluded').length;
  if (out.episodesRead !== out.episodes.length + out.episodesExcluded! || excludedFindings !== out.episodesExcluded) {
    throw new Error(`readCinXmlReturn: accounting broke for ${file}: ${out.episodesRead} read, ${out.episodes.length} kept, ${out.episodesExcluded} excluded, ${excludedFindings} excluding findings`);
  }
  return out;
}
export { cinReturnRows, XML_RAW_CIN_FIELDS, type RawCinRows } from './rows';
