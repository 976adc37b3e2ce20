import { toPaise } from '../money.ts';

/**
 * Amounts and dates as Indian bank statements print them: `1,20,000.00`, `₹ 500`, `Rs.250.50`, `INR 99`,
 * `(1,000.00)`, `12,000.00 Cr`; `25/03/26`, `25-03-2026`, `25.03.2026`, `25-Mar-2026`, `1 Apr 2024`,
 * `2026-03-25`, and Excel's own date cells and serial numbers.
 */

export interface ReadAmount {
  paise: number;
  /** "Cr"/"Dr" written beside the amount, if any. */
  side?: 'cr' | 'dr';
}

const CURRENCY = /^(?:₹|rs\.?|inr)\s*/i;
const SIDE = /\s*\(?(cr|dr)\)?\.?$/i;

/** An amount cell; undefined when the cell is empty, null when it holds something that is not an amount. */
export function readAmount(cell: unknown): ReadAmount | null | undefined {
  if (cell === undefined || cell === null) return undefined;
  if (typeof cell === 'number') return Number.isFinite(cell) ? { paise: toPaise(cell) ?? 0 } : null;
  let text = String(cell).trim();
  if (text === '' || text === '-') return undefined;
  let side: ReadAmount['side'];
  const sided = SIDE.exec(text);
  if (sided) {
    side = (sided[1] as string).toLowerCase() as 'cr' | 'dr';
    text = text.slice(0, sided.index).trim();
  }
  text = text.replace(CURRENCY, '').trim();
  const negative = /^\(.*\)$/.test(text) || text.startsWith('-');
  text = text
    .replace(/^\(|\)$/g, '')
    .replace(/^-/, '')
    .replace(/^[+]/, '')
    .trim();
  // Indian (1,20,000.00) or Western (120,000.00) grouping: commas only between digits, before any decimals.
  if (!/^\d{1,3}(,\d{2,3})*(\.\d+)?$|^\d+(\.\d+)?$/.test(text)) return null;
  const paise = toPaise(text.replaceAll(',', ''));
  if (paise === null) return null;
  return { paise: negative ? -paise : paise, ...(side && { side }) };
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): string | null {
  const year = y < 100 ? 2000 + y : y;
  if (m < 1 || m > 12 || d < 1 || d > 31 || year < 1990 || year > 2100) return null;
  const date = new Date(Date.UTC(year, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${year}-${pad(m)}-${pad(d)}`;
}

/** Excel's day 1 is 1 January 1900 (and it counts a 29 February 1900 that never was). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date cell as YYYY-MM-DD; null when it is not a date. Indian order: day before month. */
export function readDate(cell: unknown): string | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    // SheetJS gives a date cell as local midnight of the machine; its calendar day is what was written.
    return ymd(cell.getFullYear(), cell.getMonth() + 1, cell.getDate());
  }
  if (typeof cell === 'number') {
    if (cell < 30000 || cell > 80000) return null;
    return new Date(EXCEL_EPOCH + Math.round(cell) * 86_400_000).toISOString().slice(0, 10);
  }
  const text = String(cell ?? '').trim();
  let m = /^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})(?:\s.*)?$/.exec(text);
  if (m) return ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[\s\-/]([A-Za-z]{3,4})[a-z]*[\s\-/,]+(\d{2}|\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[(m[2] as string).toLowerCase()];
    return month ? ymd(Number(m[3]), month, Number(m[1])) : null;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/.exec(text);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}
