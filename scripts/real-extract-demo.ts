// npx tsx scripts/real-extract-demo.ts [--run] [--only 02 ...]   (default: notebooks 01, 02, 03)
// Demonstrates real-extract mode: turns the synthetic small extracts into files laid out differently
// from the defaults (other file names, other column names, no CIN_ prefix, factors as one flag
// column per code, no synthetic truth column), writes the column mapping that reads them, and
// prints (or, with --run, runs) the notebook command that points the parameters cell at them.
// Nothing in the notebooks changes: only `dataSource` is overridden through `--param`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureSynthetic } from '../src/data/synth/index';

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Rewrites a CSV: renames columns (dropping those mapped to null) and optionally expands one
 *  delimited column into flag columns. Streams line by line from the whole file text. */
function rewrite(src: string, dst: string, rename: (col: string) => string | null, expand?: { column: string; delimiter: string; prefix: string }): void {
  const lines = readFileSync(src, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = parseCsvLine(lines[0]);
  const keep = header.map((c) => (expand && c === expand.column ? null : rename(c)));
  let codes: string[] = [];
  const ei = expand ? header.indexOf(expand.column) : -1;
  if (expand) {
    if (ei < 0) throw new Error(`${src}: no column ${expand.column}`);
    const set = new Set<string>();
    for (let r = 1; r < lines.length; r++) for (const c of parseCsvLine(lines[r])[ei].split(expand.delimiter)) if (c) set.add(c);
    codes = [...set].sort();
  }
  const out: string[] = [[...keep.filter((k): k is string => k !== null), ...codes.map((c) => expand!.prefix + c)].map(csvCell).join(',')];
  for (let r = 1; r < lines.length; r++) {
    const cells = parseCsvLine(lines[r]);
    const row = cells.filter((_, j) => keep[j] !== null);
    if (expand) {
      const present = new Set(cells[ei].split(expand.delimiter));
      for (const c of codes) row.push(present.has(c) ? '1' : '0');
    }
    out.push(row.map(csvCell).join(','));
  }
  writeFileSync(dst, out.join('\n') + '\n');
}

const root = process.cwd();
const synth = ensureSynthetic({ scale: 'small', seed: 1 });
const dir = path.join(root, 'data', 'synthetic', 'real-extract-demo');
mkdirSync(dir, { recursive: true });
const files = {
  cin: path.join(dir, 'CIN_Census_2015_2021_extract.csv'),
  cla: path.join(dir, 'SSDA903_Episodes.csv'),
  ks2: path.join(dir, 'NPD_KS2_Pupil.csv'),
  ks4: path.join(dir, 'NPD_KS4_Pupil.csv'),
  pupils: path.join(dir, 'NPD_SpringCensus_Pupil.csv'),
};
// CIN: drop the CIN_ prefix, rename a few fields, factors as flag columns, no synthetic truth.
rewrite(path.join(synth, 'cin.csv'), files.cin, (c) => (c === 'SYN_TrueClass' ? null : c === 'CIN_LAchildID_Anon' ? 'ChildID' : c.replace(/^CIN_/, '')), {
  column: 'CIN_FactorsIdentifiedAtAssessment',
  delimiter: ';',
  prefix: 'Factor_',
});
rewrite(path.join(synth, 'cla.csv'), files.cla, (c) => `EP_${c}`);
rewrite(path.join(synth, 'ks2.csv'), files.ks2, (c) => c.replace(/^KS2_/, '').toLowerCase());
rewrite(path.join(synth, 'ks4.csv'), files.ks4, (c) => c.replace(/^KS4_/, '').toLowerCase());
rewrite(path.join(synth, 'pupils.csv'), files.pupils, (c) => `PUP_${c}`);

const cinCols = (names: Record<string, string>) => Object.fromEntries(Object.entries(names).map(([k, v]) => [k, v === 'CIN_LAchildID_Anon' ? 'ChildID' : v.replace(/^CIN_/, '')]));
const mapping = {
  cin: {
    ...cinCols({
      census_year: 'CIN_AcademicYear', la: 'CIN_LA', child_id: 'CIN_LAchildID_Anon', pmr: 'CIN_PupilMatchingRefAnonymous', sex: 'CIN_Gender',
      ethnicity: 'CIN_Ethnicity', disabilities: 'CIN_Disabilities', idaci_decile: 'CIN_IDACI_Decile', referral_date: 'CIN_CINreferralDate',
      referral_source: 'CIN_ReferralSource', primary_need: 'CIN_PrimaryNeedCode', closure_date: 'CIN_CINclosureDate', closure_reason: 'CIN_ReasonForClosure',
      referral_nfa: 'CIN_ReferralNFA', assessment_date: 'CIN_AssessmentActualStartDate', authorisation_date: 'CIN_AssessmentAuthorisationDate',
      cin_plan_start: 'CIN_CINPlanStartDate', cin_plan_end: 'CIN_CINPlanEndDate', s47_date: 'CIN_S47ActualStartDate', icpc_date: 'CIN_DateOfInitialCPC',
      cpp_start: 'CIN_CPPstartDate', cpp_end: 'CIN_CPPendDate', cpp_initial_category: 'CIN_InitialCategoryOfAbuse',
      cpp_latest_category: 'CIN_LatestCategoryOfAbuse', n_previous_cpp: 'CIN_NumberOfPreviousCPP',
    }),
    true_class: 'NOT_IN_REAL_EXTRACTS',
    factors: { style: 'flags', prefix: 'Factor_' },
    birth: { style: 'month-year', month: 'MonthOfBirth', year: 'YearOfBirth' },
  },
  cla: Object.fromEntries(['la:LA', 'child_id:CHILD', 'pmr:PMR', 'sex:SEX', 'dob:DOB', 'ethnicity:ETHNIC', 'decom:DECOM', 'rne:RNE', 'ls:LS', 'cin:CIN', 'place:PLACE', 'dec:DEC', 'rec:REC'].map((p) => [p.split(':')[0], `EP_${p.split(':')[1]}`])),
  ks2: { pmr: 'pupilmatchingrefanonymous', academic_year: 'academicyear', la: 'la', school: 'urn', read_score: 'readscore', maths_score: 'matscore', writing_ta: 'writta' },
  ks4: { pmr: 'pupilmatchingrefanonymous', academic_year: 'academicyear', la: 'la', school: 'urn', att8: 'att8', p8: 'p8score' },
  pupils: {
    pmr: 'PUP_PupilMatchingRefAnonymous', sex: 'PUP_Gender', ethnicity: 'PUP_EthnicGroupMajor', fsm: 'PUP_FSMeligible', sen: 'PUP_SENprovision', eal: 'PUP_EAL',
    idaci_decile: 'PUP_IDACI_decile', la: 'PUP_LA', birth: { style: 'month-year', month: 'PUP_MonthOfBirth', year: 'PUP_YearOfBirth' },
  },
};
const dataSource = { kind: 'extracts', files, mapping };
writeFileSync(path.join(dir, 'dataSource.json'), JSON.stringify(dataSource, null, 2) + '\n');
// Default: the three research notebooks (each has a `dataSource` parameter); `--only NN` to narrow.
const only: string[] = [];
process.argv.forEach((a, i) => { if (a === '--only' && process.argv[i + 1]) only.push(process.argv[i + 1]); });
if (only.length === 0) only.push('01', '02', '03');
const args = ['run', '-s', 'notebooks', '--', '--param', `dataSource=${JSON.stringify(dataSource)}`, '--out', path.join(root, 'out', 'real-extract-demo'), ...only.flatMap((o) => ['--only', o])];
console.log(`wrote re-laid-out extracts and ${path.join(dir, 'dataSource.json')}`);
console.log(`notebook command:\n  npm ${args.map((a) => (/[\s"{]/.test(a) ? `'${a}'` : a)).join(' ')}`);
if (process.argv.includes('--run')) {
  const r = spawnSync('npm', args, { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
