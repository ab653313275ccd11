import * as fs from 'fs';
import * as path from 'path';

/** Walk up from `start` (default process.cwd()) to the folder holding package.json: the repo root. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json found in ${start} or any parent folder`);
    dir = parent;
  }
}
