import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Sheets from '@e965/xlsx';
import { parse as parseCsv } from 'csv-parse/sync';
import { readAmount, readDate } from './amounts.ts';

/**
 * A bank statement as exported by Indian banks (HDFC, ICICI, SBI, Axis, Kotak and most others), CSV or
 * Excel, as unified bank transactions. The header row is found among the preamble (account holder, address,
 * period) by its column names; debit and credit may be two columns, or one amount with a sign or a Dr/Cr
 * column. Opening/closing balance, total and separator rows are skipped; anything else that cannot be read is
 * refused, naming the row as the owner sees it in Excel and the column.
 */

export class StatementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementError';
  }
}

type Role =
  | 'date'
  | 'description'
  | 'reference'
  | 'debit'
  | 'credit'
  | 'amount'
  | 'side'
  | 'balance'
  | 'value_date';

/** Column names by role, normalised (lower case, letters and digits only). */
const NAMES: Record<Role, string[]> = {
  date: [
    'date',
    'txndate',
    'transactiondate',
    'trandate',
    'postingdate',
    'transdate',
    'trndate',
    'txnpostingdate',
  ],
  value_date: ['valuedt', 'valuedate'],
  description: [
    'narration',
    'description',
    'particulars',
    'transactiondetails',
    'transactionremarks',
    'remarks',
    'details',
    'transactiondescription',
  ],
  reference: [
    'chqrefno',
    'chqno',
    'chequeno',
    'refno',
    'refnochequeno',
    'chequerefno',
    'chqrefnumber',
    'referenceno',
    'chequenumber',
    'utr',
    'utrno',
  ],
  debit: [
    'withdrawalamt',
    'withdrawal',
    'withdrawals',
    'debit',
    'dr',
    'withdrawalamountinr',
    'debitamount',
    'withdrawaldr',
    'debitinr',
  ],
  credit: [
    'depositamt',
    'deposit',
    'deposits',
    'credit',
    'cr',
    'depositamountinr',
    'creditamount',
    'depositcr',
    'creditinr',
  ],
  amount: ['amount', 'amountinr', 'transactionamount', 'txnamount', 'amountrs'],
  side: ['drcr', 'crdr', 'debitcredit', 'type', 'transactiontype'],
  balance: [
    'closingbalance',
    'balance',
    'balanceinr',
    'availablebalance',
    'bal',
    'runningbalance',
    'balanceamount',
  ],
};

const normal = (cell: unknown) =>
  String(cell ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const ROLE_OF = new Map<string, Role>(
  (Object.entries(NAMES) as [Role, string[]][]).flatMap(([role, names]) =>
    names.map((n) => [n, role] as const),
  ),
);

type Columns = Partial<Record<Role, number>>;

/** The header's columns, when this row is one: a date, a description, and debit+credit or an amount. */
function headerOf(row: unknown[]): Columns | null {
  const columns: Columns = {};
  row.forEach((cell, i) => {
    const role = ROLE_OF.get(normal(cell));
    if (role && columns[role] === undefined) columns[role] = i;
  });
  const amounts =
    (columns.debit !== undefined && columns.credit !== undefined) || columns.amount !== undefined;
  return columns.date !== undefined && columns.description !== undefined && amounts ? columns : null;
}

/** Rows of cells: Excel's first sheet, or CSV with its delimiter found (comma, tab, semicolon or pipe). */
/** A statement's rows in order, read afresh each time it is asked. */
type Rows = () => Iterable<unknown[]>;

/** Records per piece a CSV is parsed in: a 100,000-line statement never has all its rows in memory at once. */
const CSV_PIECE = 2000;

/**
 * Where a CSV can be cut into pieces that parse alone: after a record's newline, every CSV_PIECE records.
 * A quote opens a quoted field only at the field's start and closes it before a delimiter or a line's end
 * (a stray quote inside a field, which relax_quotes allows, stays text), as the parser reads them.
 */
function pieceEnds(text: string, delimiter: string): number[] {
  const ends: number[] = [];
  let quoted = false;
  let fieldStart = true;
  let records = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') continue;
      if (text[i + 1] === '"') i++;
      else quoted = false;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === '\n') {
      fieldStart = true;
      if (++records % CSV_PIECE === 0) ends.push(i + 1);
    } else {
      fieldStart = c === delimiter || (c === '\r' && fieldStart);
    }
  }
  ends.push(text.length);
  return ends;
}

function rowsOf(bytes: Buffer): Rows {
  const zip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const ole = bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  if (zip || ole) {
    // Loaded with the first Excel statement, not at start: it is a large library most processes never use.
    const XLSX = createRequire(import.meta.url)('@e965/xlsx') as typeof Sheets;
    let book: Sheets.WorkBook;
    try {
      book = XLSX.read(bytes, { type: 'buffer', cellDates: true, dense: true });
    } catch {
      throw new StatementError(
        'This Excel file could not be opened. Save it again as .xlsx or CSV and retry.',
      );
    }
    const sheet = book.Sheets[book.SheetNames[0] ?? ''];
    if (!sheet) throw new StatementError('This Excel file has no sheet.');
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, {
      header: 1,
      raw: true,
      defval: null,
      blankrows: true,
    });
    return () => rows;
  }
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new StatementError('This is not a CSV or Excel statement.');
  const sample = text.split(/\r?\n/, 30).join('\n');
  const delimiter =
    [',', '\t', ';', '|']
      .map((d) => [d, sample.split(d).length] as const)
      .sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
  const ends = pieceEnds(text, delimiter);
  const parsePiece = (piece: string) => {
    try {
      return parseCsv(piece, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        trim: true,
        bom: true,
      }) as unknown[][];
    } catch (err) {
      throw new StatementError(`This CSV could not be read: ${(err as Error).message}`);
    }
  };
  return function* () {
    let start = 0;
    for (const end of ends) {
      if (end > start) yield* parsePiece(text.slice(start, end));
      start = end;
    }
  };
}

/** Lines that carry a balance, not a transaction. */
const BALANCE_LINE =
  /opening\s*balance|closing\s*balance|balance\s*(b\/?f|c\/?f|brought|carried)|brought\s*forward|carried\s*forward/i;
/** Where the transactions end and the bank's footer (summary, notes) begins. */
const FOOTER = /statement\s*summary|generated\s*on|computer\s*generated|end\s*of\s*statement/i;
/** A totals line: only when it has no date (a narration may well begin with "Total"). */
const TOTAL_LINE = /^(grand\s*|transaction\s*)?totals?\b/i;
const SEPARATOR = /^[\s*\-=_.]*$/;

/** The UTR or RRN a narration carries: NEFT/RTGS references, IMPS and UPI transaction numbers. */
export function utrOf(narration: string): string | null {
  // NEFT/RTGS: the first token of 15–26 letters and digits that starts with the bank's four letters.
  const bank = /\b(?:NEFT|RTGS)\b.*?\b([A-Z]{4}(?=[A-Z0-9]*\d{6})[A-Z0-9]{11,22})\b/i.exec(narration);
  if (bank) return (bank[1] as string).toUpperCase();
  const rrn = /\b(?:UPI|IMPS)\b.*?\b(\d{12})\b/i.exec(narration);
  return rrn ? (rrn[1] as string) : null;
}

export interface StatementLine {
  external_id: string;
  posted_on: string;
  direction: 'in' | 'out';
  amount: number;
  currency: 'INR';
  balance: number | null;
  description: string | null;
  reference: string | null;
  raw: Record<string, unknown>;
}

export interface ParsedStatement {
  /** How many lines hold a transaction. */
  count: number;
  /** The lines, read again from the file each time: memory holds a piece of its rows, not every line. */
  lines(): Iterable<StatementLine>;
  /** The header's row number, as the owner sees it in Excel. */
  headerRow: number;
  from: string | null;
  to: string | null;
  skipped: number;
}

const text = (cell: unknown) => (cell === null || cell === undefined ? '' : String(cell).trim());

/**
 * An id that is the same whichever statement of the account the line comes from: its date, direction, amount,
 * narration (letters and digits only: exports differ in spacing), reference, and the running balance after it
 * (which tells two identical payments on one day apart); without a balance column, the nth identical line.
 */
function idOf(line: Omit<StatementLine, 'external_id' | 'raw'>, seen: Map<string, number>): string {
  const key = [
    line.posted_on,
    line.direction,
    line.amount,
    normal(line.description),
    line.reference ?? '',
    line.balance ?? '',
  ].join('|');
  // Only lines without a balance are told apart by their count: the others need no memory of the rest.
  const n = line.balance === null ? (seen.get(key) ?? 0) + 1 : 0;
  if (line.balance === null) seen.set(key, n);
  return createHash('sha256')
    .update(`${key}|${line.balance === null ? n : ''}`)
    .digest('base64url')
    .slice(0, 32);
}

export function parseStatement(bytes: Buffer): ParsedStatement {
  if (bytes.length === 0) throw new StatementError('The statement is empty.');
  const rows = rowsOf(bytes);
  const first: unknown[][] = [];
  for (const row of rows()) {
    first.push(row);
    if (first.length === 60) break;
  }
  const headerIndex = first.findIndex((r) => headerOf(r) !== null);
  if (headerIndex < 0) {
    throw new StatementError(
      'No header row found: the statement needs columns for the date, the narration, and debit and credit (or an amount).',
    );
  }
  const header = first[headerIndex] as unknown[];
  const columns = headerOf(header) as Columns;
  const name = (role: Role) => text(header[columns[role] as number]) || role;
  const afterBalance = columns.balance === undefined ? undefined : columns.balance + 1;
  const balanceSideColumn =
    afterBalance !== undefined &&
    afterBalance !== columns.side &&
    ROLE_OF.get(normal(header[afterBalance])) === 'side'
      ? afterBalance
      : undefined;
  /** Each line in order, read from the rows again: a statement is checked whole once, then written in chunks. */
  function* linesOf(tally: { skipped: number; checking: boolean }): Generator<StatementLine> {
    const seen = new Map<string, number>();
    let i = -1;
    for (const row of rows()) {
      i++;
      if (i <= headerIndex) continue;
      const rowNo = i + 1;
      const cell = (role: Role) => (columns[role] === undefined ? undefined : row[columns[role] as number]);
      const joined = row.map(text).join(' ');
      const undated = readDate(cell('date')) === null;
      if (undated && FOOTER.test(joined)) break;
      if (
        SEPARATOR.test(joined) ||
        BALANCE_LINE.test(joined) ||
        (undated && (TOTAL_LINE.test(text(row[0])) || TOTAL_LINE.test(text(cell('description')))))
      ) {
        tally.skipped++;
        continue;
      }
      const fail = (role: Role, what: string) =>
        new StatementError(`Row ${rowNo}, column '${name(role)}': '${text(cell(role))}' is not ${what}.`);
      const amountOf = (role: Role) => {
        const read = readAmount(cell(role));
        if (read === null) throw fail(role, 'an amount');
        return read;
      };
      let direction: 'in' | 'out' | undefined;
      let amount = 0;
      if (columns.debit !== undefined && columns.credit !== undefined) {
        const debit = amountOf('debit');
        const credit = amountOf('credit');
        if (debit && debit.paise !== 0) [direction, amount] = ['out', Math.abs(debit.paise)];
        else if (credit && credit.paise !== 0) [direction, amount] = ['in', Math.abs(credit.paise)];
      } else {
        const read = amountOf('amount');
        if (read && read.paise !== 0) {
          const side =
            read.side ??
            (normal(cell('side')).startsWith('d')
              ? 'dr'
              : normal(cell('side')).startsWith('c')
                ? 'cr'
                : undefined);
          direction = side ? (side === 'dr' ? 'out' : 'in') : read.paise < 0 ? 'out' : 'in';
          amount = Math.abs(read.paise);
        }
      }
      const date = readDate(cell('date'));
      if (!direction) {
        // No money moved: a note, a footer or a blank line, never a transaction.
        tally.skipped++;
        continue;
      }
      if (!date) throw fail('date', 'a date');
      const balance = columns.balance === undefined ? undefined : readAmount(cell('balance'));
      if (balance === null) throw fail('balance', 'an amount');
      // Kotak writes the balance's side in a Dr/Cr column of its own, right after it.
      const balanceSide = balanceSideColumn === undefined ? '' : normal(row[balanceSideColumn]);
      if (balance && balanceSide === 'dr') balance.side = 'dr';
      const description = text(cell('description')).replace(/\s+/g, ' ').slice(0, 1000) || null;
      const reference =
        (description && utrOf(description)) ||
        text(cell('reference')).replace(/^0+$/, '').slice(0, 200) ||
        null;
      const line = {
        posted_on: date,
        direction,
        amount,
        currency: 'INR' as const,
        balance: balance ? (balance.side === 'dr' ? -Math.abs(balance.paise) : balance.paise) : null,
        description,
        reference,
      };
      // Checking needs the line's reading only; its id and raw cells are made when it is to be written.
      yield tally.checking
        ? { ...line, external_id: '', raw: {} }
        : {
            ...line,
            external_id: idOf(line, seen),
            raw: {
              row: rowNo,
              cells: Object.fromEntries(header.map((h, c) => [text(h) || `column ${c + 1}`, row[c] ?? null])),
            },
          };
    }
  }
  const tally = { skipped: 0, checking: true };
  let count = 0;
  let from: string | null = null;
  let to: string | null = null;
  for (const line of linesOf(tally)) {
    count++;
    if (from === null || line.posted_on < from) from = line.posted_on;
    if (to === null || line.posted_on > to) to = line.posted_on;
  }
  return {
    count,
    headerRow: headerIndex + 1,
    from,
    to,
    skipped: tally.skipped,
    lines: () => linesOf({ skipped: 0, checking: false }),
  };
}
