import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findRepoRoot } from '../../src/data/paths';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'csc-paths-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('findRepoRoot', () => {
  it('walks up from a nested folder to the nearest folder holding package.json', () => {
    fs.mkdirSync(path.join(tmp, 'proj', 'a', 'b', 'c'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'proj', 'package.json'), '{}');
    expect(findRepoRoot(path.join(tmp, 'proj', 'a', 'b', 'c'))).toBe(path.join(tmp, 'proj'));
    expect(findRepoRoot(path.join(tmp, 'proj'))).toBe(path.join(tmp, 'proj'));
  });
  it('the nearest package.json wins over one further up', () => {
    fs.mkdirSync(path.join(tmp, 'proj', 'sub', 'x'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'proj', 'sub', 'package.json'), '{}');
    expect(findRepoRoot(path.join(tmp, 'proj', 'sub', 'x'))).toBe(path.join(tmp, 'proj', 'sub'));
  });
  it('resolves a relative start against the working directory', () => {
    expect(findRepoRoot('src/data')).toBe(path.resolve('.'));
  });
  it('throws naming the start folder when no parent holds package.json', () => {
    // the filesystem root: its only parent is itself
    const root = path.parse(tmp).root;
    if (fs.existsSync(path.join(root, 'package.json'))) return;
    expect(() => findRepoRoot(root)).toThrow(`no package.json found in ${root}`);
  });
});
