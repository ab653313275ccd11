// Writes small CIN census XML returns for reader tests: one element per line, so a test can find
// the physical line of any element with lineOfText.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-xml-read-'));

export interface ChildSpec { id?: string; sexElement?: 'GenderCurrent' | 'Sex'; sex?: string; dob?: string; ethnicity?: string; details?: string[] }

export function header(year: string | null, ref: string | null, lea = '999'): string {
  return [
    '  <Header>', '    <CollectionDetails>', '      <Collection>CIN</Collection>',
    ...(year === null ? [] : [`      <Year>${year}</Year>`]), ...(ref === null ? [] : [`      <ReferenceDate>${ref}</ReferenceDate>`]),
    '    </CollectionDetails>', '    <Source>', ...(lea === '' ? [] : [`      <LEA>${lea}</LEA>`]), '    </Source>', '  </Header>',
  ].join('\n');
}

export function childXml(c: ChildSpec): string {
  const el = c.sexElement ?? 'GenderCurrent';
  return [
    '    <Child>', '      <ChildIdentifiers>', ...(c.id === '' ? [] : [`        <LAchildID>${c.id ?? 'C1'}</LAchildID>`]),
    `        <PersonBirthDate>${c.dob ?? '2012-04-01'}</PersonBirthDate>`, `        <${el}>${c.sex ?? (el === 'Sex' ? 'F' : '2')}</${el}>`,
    '      </ChildIdentifiers>', '      <ChildCharacteristics>', `        <Ethnicity>${c.ethnicity ?? 'WBRI'}</Ethnicity>`, '      </ChildCharacteristics>',
    ...(c.details ?? []), '    </Child>',
  ].join('\n');
}

/** one CINdetails block; `inner` lines are indented and placed after the referral date */
export function details(referral: string, ...inner: string[]): string {
  return ['      <CINdetails>', `        <CINreferralDate>${referral}</CINreferralDate>`, ...inner.map((l) => `        ${l}`), '      </CINdetails>'].join('\n');
}

export function writeReturn(name: string, head: string, kids: ChildSpec[], eol = '\n'): string {
  const text = ['<?xml version="1.0" encoding="UTF-8"?>', '<Message>', head, '  <Children>', ...kids.map(childXml), '  </Children>', '</Message>', ''].join('\n');
  const file = path.join(tmpDir, name);
  fs.writeFileSync(file, eol === '\n' ? text : text.replace(/\n/g, eol));
  return file;
}

/** 1-based line of the n-th (0-based) line of `file` that contains `needle` */
export function lineOfText(file: string, needle: string, nth = 0): number {
  const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && seen++ === nth) return i + 1;
  throw new Error(`${needle} not in ${file}`);
}
