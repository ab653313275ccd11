// Reads a block of truth.json with a clear error naming the missing key, so a truth file from an older
// generator fails loudly instead of producing NaN checks.
export type TruthBlock = Readonly<Record<string, unknown>>;

export function truthBlock(truth: unknown, key: string): TruthBlock {
  const v = (truth as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== 'object' || v === null) throw new Error(`truth.json: block "${key}" missing (regenerate the synthetic data)`);
  return v as TruthBlock;
}

export function truthNumber(block: TruthBlock, key: string, where: string): number {
  const v = Number(block[key]);
  if (!Number.isFinite(v)) throw new Error(`truth.json ${where}: "${key}" is not a number (${JSON.stringify(block[key])})`);
  return v;
}

export function truthLevels(block: TruthBlock, key: string, where: string): Record<string, number> {
  const v = block[key];
  if (typeof v !== 'object' || v === null) throw new Error(`truth.json ${where}: "${key}" missing`);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'number') out[k] = x;
  return out;
}

export function truthArray<T>(block: TruthBlock, key: string, where: string): T[] {
  const v = block[key];
  if (!Array.isArray(v)) throw new Error(`truth.json ${where}: "${key}" is not a list`);
  return v as T[];
}
