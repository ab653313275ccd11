/**
 * Terminal progress for `npm run notebooks`: one cli-progress bar per running notebook (code cells
 * done / total). Only on an interactive terminal; in CI and when output is piped, the runner keeps its
 * plain one-line-per-cell log, which is what a log file wants.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface RunBars {
  cell(name: string, done: number, total: number): void;
  log(line: string): void;
  stop(): void;
}

export function wantBars(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !env.CI && env.TERM !== 'dumb';
}

export function createRunBars(stream: NodeJS.WriteStream = process.stderr): RunBars {
  const multi = new MultiBar({
    stream, clearOnComplete: false, hideCursor: true, format: '{name} [{bar}] {value}/{total} cells | {duration}s',
  }, Presets.shades_classic);
  const bars = new Map<string, SingleBar>();
  return {
    cell(name, done, total) {
      let b = bars.get(name);
      if (!b) bars.set(name, (b = multi.create(total, 0, { name: name.padEnd(24) })));
      b.update(done);
    },
    log(line) { multi.log(line + '\n'); },
    stop() { multi.stop(); },
  };
}
