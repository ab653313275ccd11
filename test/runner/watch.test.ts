/**
 * A batch run must not die when files the kernel's TypeScript program has read change on disk
 * mid-run. On the national set, notebook 01 failed after a 12-minute cell because other work made
 * hard links to node_modules (`cp -al`, which changes every file's link count): tslab's file
 * watchers fired after the cell, and tslab threw "Unexpected pending rebuildTimer" into every later
 * cell. This test makes the same links to the declaration files the kernel has read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, repoRoot, runCli, tempDir, type CliResult } from './helpers';

let cellId = 0;
const code = (source: string) => ({ cell_type: 'code', execution_count: null, id: `cell${++cellId}`, metadata: {}, outputs: [], source });

describe('runner: files read by the kernel change while a cell runs', () => {
  // inside the repo, as notebooks/ is, so the kernel's program is built from the repo's tsconfig
  fs.mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
  const base = fs.mkdtempSync(path.join(repoRoot, 'out', 'watch-test-'));
  const dir = path.join(base, 'notebooks');
  fs.mkdirSync(dir);
  // the library as notebooks see it (as in test/fixtures/notebooks/ok)
  for (const name of ['src', 'kernel-helpers']) fs.symlinkSync(path.join(repoRoot, 'build', 'notebook-lib', name), path.join(dir, name));
  const out = tempDir('csc-run-watch-out-');
  const links = tempDir('csc-run-watch-links-');
  const modulesDir = path.join(repoRoot, 'node_modules');
  let result: CliResult;
  beforeAll(async () => {
    const nb = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      cells: [
        code("import * as fs from 'fs';\nimport { execFileSync } from 'child_process';\nimport { plainTable } from './src/display/index';\nconsole.log(`kernel up: ${typeof plainTable}`);"),
        code([
          // what `git worktree add` plus `cp -al node_modules` by other work did: every library file gains a link
          `execFileSync('cp', ['-al', ${JSON.stringify(modulesDir)}, ${JSON.stringify(path.join(links, 'node_modules'))}]);`,
          'const t0 = Date.now();',
          'while (Date.now() - t0 < 2000) { /* a long synchronous fit */ }',
        ].join('\n')),
        code('await new Promise((resolve) => setTimeout(resolve, 1000));'),
        code("console.log(`still running: ${[1, 2, 3].length}`);"),
      ],
    };
    fs.writeFileSync(path.join(dir, '01-watch.ipynb'), JSON.stringify(nb));
    result = await runCli(['--dir', dir, '--out', out, '--no-png', '--timeout', '60']);
  }, 120_000);
  afterAll(() => {
    fs.rmSync(links, { recursive: true, force: true });
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('every cell after the change still runs', () => {
    expect(result.stderr).not.toMatch(/pending rebuildTimer/);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const nb = readJson(path.join(out, '01-watch.ipynb'));
    const text = nb.cells.flatMap((c: { outputs: Array<{ text?: string }> }) => c.outputs.map((o) => o.text ?? '')).join('');
    expect(text).toContain('still running: 3');
  });
});
