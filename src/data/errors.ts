/**
 * DataError: the one error type the data layer throws for bad input. The message always names
 * what was expected and where (file, row, field), so a researcher can fix the extract.
 */
export class DataError extends Error {
  readonly file: string | null;
  readonly row: number | null;
  readonly field: string | null;
  constructor(message: string, where: { file?: string | null; row?: number | null; field?: string | null } = {}) {
    const parts: string[] = [];
    if (where.file) parts.push(`file ${where.file}`);
    if (where.row != null) parts.push(`row ${where.row}`);
    if (where.field) parts.push(`field ${where.field}`);
    super(parts.length ? `${message} (${parts.join(', ')})` : message);
    this.name = 'DataError';
    this.file = where.file ?? null;
    this.row = where.row ?? null;
    this.field = where.field ?? null;
  }
}
