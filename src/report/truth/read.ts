// Reads a block of truth.json with a clear error naming the missing key, so a truth file from an older
// generator fails loudly instead of producing NaN checks.
export type TruthBlock = Readonly<Record<string, unknown>>;

/** truth.json block `key` as an object. Errors: the block is missing (regenerate the synthetic data). */
export function truthBlock(truth: unknown, key: string): TruthBlock {
  const v = (truth as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== 'object' || v === null) throw new Error(`truth.json: block "${key}" missing (regenerate the synthetic data)`);
  return v as TruthBlock;
}

/** A finite number from a truth block. Errors name `where` and the key. */
export function truthNumber(block: TruthBlock, key: string, where: string): number {
  const v = Number(block[key]);
  if (!Number.isFinite(v)) throw new Error(`truth.json ${where}: "${key}" is not a number (${JSON.stringify(block[key])})`);
  return v;
}

/** The numeric entries of a truth block's map `key` (level → value). Errors: the map is missing. */
export function truthLevels(block: TruthBlock, key: string, where: string): Record<string, number> {
  const v = block[key];
  if (typeof v !== 'object' || v === null) throw new Error(`truth.json ${where}: "${key}" missing`);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'number') out[k] = x;
  return out;
}

/** A list from a truth block. Errors: `key` is not a list. */
export function truthArray<T>(block: TruthBlock, key: string, where: string): T[] {
  const v = block[key];
  if (!Array.isArray(v)) throw new Error(`truth.json ${where}: "${key}" is not a list`);
  return v as T[];
}
