import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = process.cwd();
export const fixtures = path.join(repoRoot, 'test', 'fixtures', 'notebooks');

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs `npm run notebooks` the way a user does (tsx CLI in a child process). */
export function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'run-notebooks.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readJson(file: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Chromium for PNG fallbacks (CHROMIUM_PATH or the Debian path) and whether it is installed. */
export const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromium);

let nbformatAvailable: boolean | undefined;
/** Whether Python's nbformat is installed (Debian python3-nbformat); checked once, on first use. */
export function hasPythonNbformat(): boolean {
  if (nbformatAvailable === undefined) {
    nbformatAvailable = spawnSync('/usr/bin/python3', ['-c', 'import nbformat'], { stdio: 'ignore' }).status === 0;
  }
  return nbformatAvailable;
}

/** Jupyter's own validator, when Python's nbformat is installed. */
export function jupyterValidate(file: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")', file], { encoding: 'utf8' });
  return (r.stdout + r.stderr).trim();
}

/** Outputs of the cell with the given id. */
export function outputsOf(nb: any, id: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return nb.cells.find((c: { id: string }) => c.id === id).outputs;
}
