import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAmount, readDate } from '../../src/connectors/bank-statement/amounts.ts';
import { parseStatement, StatementError, utrOf } from '../../src/connectors/bank-statement/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url));
const summary = (name: string) =>
  [...parseStatement(fixture(name)).lines()].map((l) => [
    l.posted_on,
    l.direction,
    l.amount,
    l.balance,
    l.reference,
  ]);

describe('bank statements of Indian banks', () => {
  it('reads HDFC’s CSV: finds the header below the preamble, skips balance, separator and summary lines', () => {
    const p = parseStatement(fixture('hdfc.csv'));
    expect(p.headerRow).toBe(8);
    expect(summary('hdfc.csv')).toEqual([
      ['2026-04-01', 'in', 48_230_50, 1_98_230_50, 'HDFCN52026040112345678'],
      ['2026-04-02', 'out', 12_000_00, 1_86_230_50, '609212345678'],
      ['2026-04-03', 'out', 5_000_00, 1_81_230_50, '0000001234'],
      ['2026-04-05', 'in', 25_000_00, 2_06_230_50, '609512345678'],
      ['2026-04-05', 'in', 25_000_00, 2_31_230_50, '609512345678'],
      ['2026-04-07', 'out', 1_20_000_00, 1_11_230_50, '000112'],
    ]);
    // Two identical payments the same day are two lines, told apart by the balance after each.
    expect(new Set([...p.lines()].map((l) => l.external_id)).size).toBe(6);
  });

  it('reads SBI’s tab-separated export with "1 Apr 2026" dates', () => {
    expect(summary('sbi.txt')).toEqual([
      ['2026-04-01', 'in', 48_230_50, 1_98_230_50, 'HDFCN52026040112345678'],
      ['2026-04-02', 'out', 12_000_00, 1_86_230_50, '609212345678'],
      ['2026-04-04', 'in', 10_000_00, 1_96_230_50, null],
    ]);
  });

  it('reads Axis’s DR/CR columns and stops at its totals', () => {
    expect(summary('axis.csv')).toEqual([
      ['2026-04-01', 'in', 48_230_50, 1_98_230_50, 'UTIBR52026040100012345'],
      ['2026-04-02', 'out', 12_000_00, 1_86_230_50, '609212345678'],
      ['2026-04-06', 'out', 8_500_00, 1_77_730_50, null],
    ]);
  });

  it('reads ICICI’s Excel with date cells and numbers, taking the transaction date over the value date', () => {
    expect(summary('icici.xlsx')).toEqual([
      ['2026-04-01', 'in', 48_230_50, 1_98_230_50, 'ICICN52026040198765432'],
      ['2026-04-02', 'out', 12_000_00, 1_86_230_50, '609212345678'],
      ['2026-04-03', 'out', 1_20_000_00, 66_230_50, '112'],
    ]);
  });

  it('reads Kotak’s Excel: one amount with Dr/Cr, and a balance overdrawn', () => {
    expect(summary('kotak.xlsx')).toEqual([
      ['2026-04-01', 'in', 48_230_50, 1_98_230_50, 'KKBKN52026040155555555'],
      ['2026-04-02', 'out', 12_000_00, 1_86_230_50, '609212345678'],
      ['2026-04-06', 'out', 2_00_000_00, -13_769_50, 'MB-0000123'],
    ]);
  });

  it('reads a generic signed amount with ₹, Rs. and brackets', () => {
    expect(summary('generic-signed.csv').map(([d, dir, amt]) => [d, dir, amt])).toEqual([
      ['2026-04-02', 'out', 12_000_00],
      ['2026-04-03', 'in', 312_40],
      ['2026-04-04', 'out', 25_000_00],
      ['2026-04-05', 'in', 1_499_00],
    ]);
  });

  it('gives a line the same id in two statements that overlap', () => {
    const whole = [...parseStatement(fixture('hdfc.csv')).lines()];
    const text = fixture('hdfc.csv').toString('utf8').split('\n');
    // A later export of the same account: the first line left out, spacing different.
    const later = [
      ...text.slice(0, 10),
      ...text
        .slice(11)
        .map((l) =>
          l.replace('ATW-512345XXXXXX1234-S1ANIN01-INDORE', 'ATW-512345XXXXXX1234-S1ANIN01-INDORE  '),
        ),
    ];
    const again = [...parseStatement(Buffer.from(later.join('\n'))).lines()];
    expect(again).toHaveLength(5);
    expect(again.map((l) => l.external_id)).toEqual(whole.slice(1).map((l) => l.external_id));
  });

  it('refuses what it cannot read, naming the row as Excel shows it and the column', () => {
    const bad = fixture('hdfc.csv').toString('utf8').replace('"12,000.00"', '"12,O00.00"');
    expect(() => parseStatement(Buffer.from(bad))).toThrow(
      new StatementError("Row 12, column 'Withdrawal Amt.': '12,O00.00' is not an amount."),
    );
    const badDate = fixture('axis.csv').toString('utf8').replace('02-04-2026', '31-02-2026');
    expect(() => parseStatement(Buffer.from(badDate))).toThrow(
      "Row 7, column 'Tran Date': '31-02-2026' is not a date.",
    );
    expect(() => parseStatement(Buffer.from('name,age\nasha,30\n'))).toThrow(/No header row found/);
    expect(() => parseStatement(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toThrow(
      /could not be opened/,
    );
    expect(() => parseStatement(Buffer.alloc(0))).toThrow('The statement is empty.');
  });

  it('reads Indian amounts and dates as banks print them', () => {
    expect(readAmount('1,20,000.00')).toEqual({ paise: 1_20_000_00 });
    expect(readAmount('₹ 500')).toEqual({ paise: 500_00 });
    expect(readAmount('Rs.250.50')).toEqual({ paise: 250_50 });
    expect(readAmount('12,000.00 Cr')).toEqual({ paise: 12_000_00, side: 'cr' });
    expect(readAmount('(1,000.00)')).toEqual({ paise: -1_000_00 });
    expect(readAmount('12.3.4')).toBeNull();
    expect(readAmount('')).toBeUndefined();
    expect(readDate('25/03/26')).toBe('2026-03-25');
    expect(readDate('25-03-2026')).toBe('2026-03-25');
    expect(readDate('25.03.2026')).toBe('2026-03-25');
    expect(readDate('25-Mar-2026')).toBe('2026-03-25');
    expect(readDate('1 Apr 2024')).toBe('2024-04-01');
    expect(readDate(46106)).toBe('2026-03-25');
    expect(readDate('31/02/2026')).toBeNull();
  });

  it('finds the UTR in NEFT, RTGS, IMPS and UPI narrations', () => {
    expect(utrOf('NEFT CR-HDFC0000001-RAZORPAY SOFTWARE PVT LTD-SETTLEMENT-HDFCN52026040112345678')).toBe(
      'HDFCN52026040112345678',
    );
    expect(utrOf('RTGS/UTIBR52026040100012345/RAZORPAY')).toBe('UTIBR52026040100012345');
    expect(utrOf('UPI/P2M/609212345678/SHARMA TRADERS')).toBe('609212345678');
    expect(utrOf('CASH DEPOSIT SELF')).toBeNull();
  });

  it('reads a 100,000-line statement whole', () => {
    const lines = ['Date,Narration,Withdrawal Amt.,Deposit Amt.,Closing Balance'];
    for (let i = 0; i < 100_000; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      lines.push(
        `${day}/03/26,UPI-CUSTOMER ${i},,"1,${String(i % 1000).padStart(3, '0')}.00",${i + 100_000}.00`,
      );
    }
    const p = parseStatement(Buffer.from(lines.join('\n')));
    expect(p.count).toBe(100_000);
    expect(new Set(Array.from(p.lines(), (l) => l.external_id)).size).toBe(100_000);
  });

  it('reads a long CSV piece by piece without losing a quoted narration that spans lines or quotes inside it', () => {
    const lines = ['Date,Narration,Withdrawal Amt.,Deposit Amt.,Closing Balance'];
    for (let i = 0; i < 4500; i++) {
      // Around the pieces' edges (every 2,000 records): a narration over two lines with "" in it, and a
      // stray quote in a field that is not quoted.
      const narration =
        i % 2000 === 1998
          ? `"NEFT CR-SHAH ""MAIN"" BRANCH\nREF ${i}"`
          : i % 2000 === 1999
            ? `5" PIPES ${i}`
            : `UPI ${i}`;
      lines.push(`01/03/26,${narration},,"1,000.00",${i + 10_000}.00`);
    }
    const p = parseStatement(Buffer.from(lines.join('\r\n')));
    expect(p.count).toBe(4500);
    const all = [...p.lines()];
    expect(all[1998]?.description).toBe('NEFT CR-SHAH "MAIN" BRANCH REF 1998');
    expect(all[1999]?.description).toBe('5" PIPES 1999');
    expect(all[3998]?.description).toBe('NEFT CR-SHAH "MAIN" BRANCH REF 3998');
    expect(all.at(-1)?.description).toBe('UPI 4499');
    // A row past the first piece is named by its row number in the file.
    const broken = [...lines];
    broken[3001] = '01/03/26,UPI X,,"1,OOO.00",1.00';
    expect(() => parseStatement(Buffer.from(broken.join('\n')))).toThrow(
      "Row 3002, column 'Deposit Amt.': '1,OOO.00' is not an amount.",
    );
  });
});
