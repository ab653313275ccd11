// numberStyle (src/core/numberStyle): the one number style, usable below the display layer (warnings
// written by regression, lca and survival code) without importing display.
import { describe, expect, it } from 'vitest';
import { formatNumber, formatWhole, formatEstimate, pInProse } from '../../src/core/numberStyle';
import * as display from '../../src/display/numbers';

describe('core number style', () => {
  it('a warning number reads 0.183, not 1.83e-1; only values below 1e-4 in scientific notation, with U+2212', () => {
    expect(formatNumber(0.18304, 3)).toBe('0.183');
    expect(formatNumber(8.71e-11, 3)).toBe('8.71e\u221211');
    expect(formatNumber(-2.5, 3)).toBe('\u22122.5');
  });
  it('whole numbers (N, events) with thousands separators', () => {
    expect(formatWhole(51230)).toBe('51,230');
    expect(formatWhole(-1200)).toBe('\u22121,200');
    expect(formatWhole(NaN)).toBe('NA');
  });
  it('display/numbers re-exports the same functions (one definition)', () => {
    expect(display.formatNumber).toBe(formatNumber);
    expect(display.formatEstimate).toBe(formatEstimate);
    expect(display.pInProse).toBe(pInProse);
  });
});

describe('one number style in everything src/ and kernel-helpers/ write', () => {
  // Text built with toFixed / toExponential / toPrecision skips the style ("2.0e+9 cells", "-0.25",
  // "12345.6"); every message, label and table cell goes through numberStyle instead. Files listed
  // here use them for something that is not text for a reader, and say what.
  const allowed: Record<string, string> = {
    'src/core/numberStyle.ts': 'the style itself',
    'src/formula/expr.ts': 'deparses a formula constant (code, as R deparse writes it)',
    'src/display/summaryTables.ts': 'rounds a hazard to 3 significant digits as a number',
    'src/data/store/profile.ts': 'developer timing profile on stderr (owned by the data layer)',
    'src/data/store/db.ts': 'developer query timings on stderr (owned by the data layer)',
    'src/data/synth/draws.ts': 'writes synthetic CSV values (owned by the data layer)',
  };
  it('no file outside the list formats numbers with toFixed / toExponential / toPrecision', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p.split(path.sep).join('/'));
      }
    };
    walk('src');
    walk('kernel-helpers'); // the notebook helpers show numbers too
    const offenders = files.filter((f) => !(f in allowed) && /\.(toFixed|toExponential|toPrecision)\(/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
