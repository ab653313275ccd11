// Run state of the generator (src/data/synth/state): the window the steps truncate at is the
// study window truth.json reports, and drafts start empty and unshared.
import { describe, expect, it } from 'vitest';
import { newChildDraft, newEpisodeDraft, NONE, WIN_END, WIN_START } from '../../../src/data/synth/state';
import { STUDY_WINDOW } from '../../../src/data/synth/params';
import { parseDay } from '../../../src/data/dates';

describe('synth state', () => {
  it('WIN_START / WIN_END are STUDY_WINDOW.start / end', () => {
    expect(WIN_START).toBe(parseDay(STUDY_WINDOW.start));
    expect(WIN_END).toBe(parseDay(STUDY_WINDOW.end));
  });
  it('drafts start with every day NONE and do not share arrays', () => {
    const e = newEpisodeDraft();
    for (const k of ['assess', 'auth', 'planStart', 'planEnd', 's47', 'icpc', 'cppStart', 'cppEnd', 'careStart', 'careEnd', 'closure'] as const) expect(e[k]).toBe(NONE);
    const a = newChildDraft(); const b = newChildDraft();
    a.expDay.push(1);
    expect(b.expDay).toEqual([]);
  });
});
