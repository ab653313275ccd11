// referralCounts on a hand-made CIN extract whose counts are known: census years end 31 March,
// an episode carried in two census returns is one referral, from/to are inclusive.
import { describe, it, expect } from 'vitest';
import { referralCounts } from '../../src/data/summaries';
import { loadStudyData, DataError } from '../../src/data';
import { CIN_HEADER } from '../../src/data/synth/generate';
import { tempCsvWriter, censusYearOf } from './helpers';

const csv = tempCsvWriter('csc-summaries-');
const ep = (child: string, ref: string, clo: string, year = censusYearOf(clo)) => ({
  CIN_AcademicYear: year, CIN_LA: 'LA001', CIN_LAchildID_Anon: child, CIN_Gender: '1', CIN_Ethnicity: 'WBRI', CIN_IDACI_Decile: '3', CIN_ReferralNFA: 'false',
  CIN_MonthOfBirth: '1', CIN_YearOfBirth: '2010', CIN_CINreferralDate: ref, CIN_CINclosureDate: clo, CIN_ReasonForClosure: 'RC8', SYN_TrueClass: '0',
});
// referrals: 2019-03-31 (census year 2019), 2019-04-01 and 2019-04-15 (2020, April), 2020-03-10 (2020, carried in the 2020 and 2021
// returns: one referral), 2020-04-02 (2021)
const cin = csv('cin.csv', CIN_HEADER, [
  ep('A', '2019-03-31', '2019-05-01'),
  ep('B', '2019-04-01', '2019-06-01'),
  ep('C', '2019-04-15', '2019-05-20'),
  ep('D', '2020-03-10', '2020-06-01', '2020'), ep('D', '2020-03-10', '2020-06-01', '2021'),
  ep('E', '2020-04-02', '2020-05-01'),
]);
const data = await loadStudyData({ kind: 'extracts', files: { cin }, endOfData: '2021-03-31' }, { store: ':memory:' });

describe('referralCounts', () => {
  it('by census year (ending 31 March): the day before and after 1 April fall in different years', async () => {
    expect(await referralCounts(data, { by: 'census_year' })).toEqual([
      { census_year: 2019, referrals: 1 }, { census_year: 2020, referrals: 3 }, { census_year: 2021, referrals: 1 },
    ]);
  });
  it('by month, as YYYY-MM, in order', async () => {
    expect(await referralCounts(data, { by: 'month' })).toEqual([
      { month: '2019-03', referrals: 1 }, { month: '2019-04', referrals: 2 }, { month: '2020-03', referrals: 1 }, { month: '2020-04', referrals: 1 },
    ]);
  });
  it('from and to are inclusive', async () => {
    expect(await referralCounts(data, { by: 'month', from: '2019-04', to: '2020-03' })).toEqual([{ month: '2019-04', referrals: 2 }, { month: '2020-03', referrals: 1 }]);
    expect(await referralCounts(data, { by: 'census_year', from: '2020', to: '2020' })).toEqual([{ census_year: 2020, referrals: 3 }]);
  });
  it('the counts add up to the referrals in the extract (the repeated episode once)', async () => {
    const all = await referralCounts(data, { by: 'month' });
    expect(all.reduce((s, r) => s + Number(r.referrals), 0)).toBe(5);
  });
  it('an unknown grouping is a DataError naming it', async () => {
    await expect(referralCounts(data, { by: 'week' as never })).rejects.toThrow(DataError);
    await expect(referralCounts(data, { by: 'week' as never })).rejects.toThrow(/got 'week'/);
  });
});
