/**
 * Run-order dependencies between notebooks. Notebook 01 saves the study's demand typology (the chosen
 * latent class model, data/cache/demand-typology.json) and 02–04 load it; started side by side with
 * 01 they would refit the model themselves and print a warning, so they wait for 01 when it is part of
 * the same run. A dependency outside the run (`--only 02`) is not waited for: the notebook then loads
 * whatever 01 saved earlier, or refits and says so.
 */
export const NOTEBOOK_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  '02-re-referral': ['01-demand-types'],
  '03-attainment': ['01-demand-types'],
  '04-inequalities': ['01-demand-types'],
};

const stem = (file: string): string => file.replace(/\.ipynb$/, '');

/** The notebooks (file names) in this run that `file` must wait for. */
export function dependenciesInRun(file: string, run: readonly string[]): string[] {
  const wanted = NOTEBOOK_DEPENDENCIES[stem(file)] ?? [];
  return run.filter((f) => wanted.includes(stem(f)));
}

/**
 * Index in `queue` of the first notebook whose dependencies in the run have all finished, or −1 when
 * every queued notebook still waits for one.
 */
export function nextReady(queue: readonly string[], run: readonly string[], finished: ReadonlySet<string>): number {
  return queue.findIndex((f) => dependenciesInRun(f, run).every((d) => finished.has(d)));
}
