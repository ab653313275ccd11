/**
 * An opt-in profile of one ingest: per phase, the SQL statements run and the wall and CPU time spent
 * (CPU of the whole process: DuckDB's threads and Node's). Phases follow each other; entering one closes
 * the one before, so the phases add up to the whole ingest. `npm run ingest` prints it with CSC_PROFILE=1
 * (or --profile) to show where an ingest spends its time: fixed costs show as many cheap statements,
 * costs that grow with the extract as a few expensive ones.
 */

export interface ProfilePhase {
  phase: string;
  /** SQL statements run through the store in the phase */
  statements: number;
  /** seconds */
  wall: number;
  /** seconds of process CPU (user + system) */
  cpu: number;
}

export class IngestProfile {
  readonly phases: ProfilePhase[] = [];
  private current: ProfilePhase | null = null;
  private t0 = 0;
  private c0: NodeJS.CpuUsage = { user: 0, system: 0 };

  /** closes the running phase and starts `phase` (a name seen before adds to that phase's row) */
  enter(phase: string): void {
    this.close();
    this.current = this.phases.find((p) => p.phase === phase) ?? null;
    if (!this.current) { this.current = { phase, statements: 0, wall: 0, cpu: 0 }; this.phases.push(this.current); }
    this.t0 = performance.now();
    this.c0 = process.cpuUsage();
  }

  /** one SQL statement ran in the current phase */
  statement(): void {
    if (this.current) this.current.statements++;
  }

  /** closes the running phase; returns the phases so far */
  close(): ProfilePhase[] {
    if (this.current) {
      const c = process.cpuUsage(this.c0);
      this.current.wall += (performance.now() - this.t0) / 1000;
      this.current.cpu += (c.user + c.system) / 1e6;
      this.current = null;
    }
    return this.phases;
  }
}

/** the phases as a fixed-width text table with a total line */
export function formatProfile(phases: ProfilePhase[]): string {
  const w = Math.max(5, ...phases.map((p) => p.phase.length));
  const line = (name: string, n: number, wall: number, cpu: number): string =>
    `${name.padEnd(w)}  ${String(n).padStart(10)}  ${wall.toFixed(2).padStart(8)}  ${cpu.toFixed(2).padStart(8)}`;
  const sum = phases.reduce((s, p) => ({ n: s.n + p.statements, wall: s.wall + p.wall, cpu: s.cpu + p.cpu }), { n: 0, wall: 0, cpu: 0 });
  return [`${'phase'.padEnd(w)}  ${'statements'.padStart(10)}  ${'wall s'.padStart(8)}  ${'cpu s'.padStart(8)}`,
    ...phases.map((p) => line(p.phase, p.statements, p.wall, p.cpu)), line('total', sum.n, sum.wall, sum.cpu)].join('\n');
}
