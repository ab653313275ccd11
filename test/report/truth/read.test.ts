import { describe, it, expect } from 'vitest';
import { truthBlock, truthNumber, truthLevels, truthArray } from '../../../src/report/truth/read';

const truth = { survival: { hr: 1.5, bad: 'x', levels: { a: 0.1, b: 2, note: 'text' }, list: [1, 2], notList: { a: 1 } } };

describe('truth.json readers', () => {
  it('truthBlock returns the block and names a missing one', () => {
    expect(truthBlock(truth, 'survival')).toBe(truth.survival);
    expect(() => truthBlock(truth, 'lca')).toThrow('truth.json: block "lca" missing (regenerate the synthetic data)');
    expect(() => truthBlock(undefined, 'lca')).toThrow('block "lca" missing');
    expect(() => truthBlock({ lca: 3 }, 'lca')).toThrow('block "lca" missing');
    expect(() => truthBlock({ lca: null }, 'lca')).toThrow('block "lca" missing');
  });
  it('truthNumber reads finite numbers and names where and which key is not one', () => {
    const b = truthBlock(truth, 'survival');
    expect(truthNumber(b, 'hr', 'survival')).toBe(1.5);
    expect(() => truthNumber(b, 'bad', 'survival')).toThrow('truth.json survival: "bad" is not a number ("x")');
    expect(() => truthNumber(b, 'absent', 'survival')).toThrow('"absent" is not a number');
    expect(() => truthNumber({ inf: Infinity }, 'inf', 'w')).toThrow('"inf" is not a number');
  });
  it('truthLevels keeps the numeric entries only and names a missing map', () => {
    const b = truthBlock(truth, 'survival');
    expect(truthLevels(b, 'levels', 'survival')).toEqual({ a: 0.1, b: 2 });
    expect(() => truthLevels(b, 'nope', 'survival')).toThrow('truth.json survival: "nope" missing');
  });
  it('truthArray returns lists and names a non-list', () => {
    const b = truthBlock(truth, 'survival');
    expect(truthArray<number>(b, 'list', 'survival')).toEqual([1, 2]);
    expect(() => truthArray(b, 'notList', 'survival')).toThrow('truth.json survival: "notList" is not a list');
  });
});
