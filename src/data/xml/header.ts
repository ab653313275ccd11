/**
 * The header of a CIN census XML return: census year (Header/CollectionDetails/Year, else the year
 * ending 31 March that contains ReferenceDate), LA (Header/Source/LEA) and the schema year whose code
 * lists apply. A header that cannot place the return is a DataError naming the file and field.
 */
import { DataError } from '../errors';
import { parseDay, censusYearOfDay } from '../dates';
import { cinSchemaYearFor, CIN_CODE_LISTS, type CinCodeLists } from '../codes';
import { child, textOf, type XNode } from './tree';
import type { FindingSink } from './rules';

export interface CinReturnHeader {
  censusYear: number;
  schemaYear: number;
  codes: CinCodeLists;
  la: string;
}

export function readHeader(file: string, root: XNode, sink: FindingSink, options: { schemaYear?: number } = {}): CinReturnHeader {
  const header = child(root, 'Header');
  if (!header) throw new DataError('CIN census XML return has no <Header>: expected Header/CollectionDetails and Header/Source', { file, field: 'Message/Header' });
  const cd = child(header, 'CollectionDetails');
  if (!cd) throw new DataError('CIN census XML return: Header/CollectionDetails is missing (it carries the census Year)', { file, field: 'Header/CollectionDetails', row: header.line });
  const yearNode = child(cd, 'Year');
  const refNode = child(cd, 'ReferenceDate');
  const yearText = yearNode?.text ?? '';
  const refText = refNode?.text ?? '';
  let year = NaN;
  if (yearText !== '') {
    if (!/^\d{4}$/.test(yearText) || +yearText < 1990 || +yearText > 2100) {
      throw new DataError(`CIN census XML return: Header/CollectionDetails/Year '${yearText}' is not a census year (YYYY, the year ending 31 March)`, { file, field: 'Header/CollectionDetails/Year', row: yearNode!.line });
    }
    year = +yearText;
  }
  let refYear = NaN;
  if (refText !== '') {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(refText) ? parseDay(refText) : NaN;
    if (d === null || !Number.isFinite(d)) {
      throw new DataError(`CIN census XML return: Header/CollectionDetails/ReferenceDate '${refText}' is not an ISO date (YYYY-MM-DD)`, { file, field: 'Header/CollectionDetails/ReferenceDate', row: refNode!.line });
    }
    refYear = censusYearOfDay(d);
  }
  if (!Number.isFinite(year) && !Number.isFinite(refYear)) {
    throw new DataError('CIN census XML return: Header/CollectionDetails needs Year or ReferenceDate to place the return in a census year', { file, field: 'Header/CollectionDetails/Year', row: cd.line });
  }
  if (Number.isFinite(year) && Number.isFinite(refYear) && year !== refYear) {
    sink.add(yearNode!, 'Header/CollectionDetails/Year', yearText, 'census_year_mismatch', 'warning',
      `header Year ${yearText} and ReferenceDate ${refText} (census year ${refYear}) disagree; the return is read as census year ${yearText}`);
  }
  const censusYear = Number.isFinite(year) ? year : refYear;
  const sources = child(header, 'Source');
  const la = textOf(sources, 'LEA');
  if (la === '') throw new DataError('CIN census XML return: Header/Source/LEA (3-digit LA code) is missing', { file, field: 'Header/Source/LEA', row: (sources ?? header).line });
  let schemaYear: number;
  if (options.schemaYear !== undefined) {
    if (!(options.schemaYear in CIN_CODE_LISTS)) throw new DataError(`readCinXmlReturn: schemaYear ${options.schemaYear} is not one of ${Object.keys(CIN_CODE_LISTS).join(', ')}`, { file });
    schemaYear = options.schemaYear;
  } else {
    const pick = cinSchemaYearFor(censusYear);
    schemaYear = pick.schemaYear;
    if (pick.before) {
      sink.add(yearNode ?? refNode ?? cd, 'Header/CollectionDetails/Year', String(censusYear), 'schema_year_before_first', 'warning',
        `census year ${censusYear} is earlier than the earliest CIN schema held (${schemaYear}); its code lists are applied`);
    }
  }
  return { censusYear, schemaYear, codes: CIN_CODE_LISTS[schemaYear], la };
}
