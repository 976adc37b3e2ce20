import { describe, expect, it } from 'vitest';
import { statementFromChat, statementImportedText } from '../../src/connectors/bank-statement/chat.ts';
import type { StatementImport } from '../../src/connectors/bank-statement/import.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Principal } from '../../src/domain/tenants.ts';

// What an owner or a member hears back when they send a file in a chat.

const owner: Principal = {
  userId: 'usr_1',
  tenantId: 'ten_1',
  role: 'owner',
  phone: '+919812345678',
  plan: 'self_service',
  rateLimitPerMinute: null,
  timezone: 'Asia/Kolkata',
  businessName: 'Shah Traders',
  userName: 'Ravi',
};
const result: StatementImport = {
  lines: 123456,
  added: 120000,
  updated: 0,
  unchanged: 3456,
  rejected: 0,
  skipped: 4,
  reconciled: 12,
  from: '2026-04-01',
  to: '2026-06-30',
};
const file = (name: string, bytes: Buffer | null = Buffer.from('x'), size = 1) => ({ name, size, bytes });

describe('bank statements sent in a chat', () => {
  it('answers with the entries, the span, what was new and what was matched, in Indian digits', () => {
    expect(statementImportedText(result)).toBe(
      '🏦 Statement added: 1,23,456 entries from 1 Apr 2026 to 30 Jun 2026. 1,20,000 new, 3,456 already here. 12 matched to Razorpay settlements ✅',
    );
  });

  it('imports an owner’s statement as the business’s, through the channel it came on', async () => {
    const seen: unknown[] = [];
    const text = await statementFromChat(
      async (ctx, bytes) => {
        seen.push([ctx.tenantId, ctx.via, bytes.toString()]);
        return result;
      },
      owner,
      file('Statement.XLSX'),
      'whatsapp',
    );
    expect(text).toMatch(/^🏦 Statement added/);
    expect(seen).toEqual([['ten_1', 'whatsapp', 'x']]);
  });

  it('turns away a member, a file that is not a statement, and one too large or not fetched, importing nothing', async () => {
    const never = async (): Promise<StatementImport> => {
      throw new Error('must not import');
    };
    const member = { ...owner, role: 'member' as const };
    expect(await statementFromChat(never, member, file('april.csv'), 'telegram')).toBe(
      'Only the business owner can add bank statements 🙏',
    );
    expect(await statementFromChat(never, owner, file('invoice.pdf'), 'telegram')).toMatch(/CSV or Excel/);
    expect(
      await statementFromChat(never, owner, file('year.csv', null, 11 * 1024 * 1024), 'telegram'),
    ).toMatch(/larger than 10 MB/);
    expect(await statementFromChat(never, owner, file('april.csv', null, 100), 'telegram')).toMatch(
      /send it again/,
    );
  });

  it('says which row it could not read, and lets any other failure through', async () => {
    const unreadable = async (): Promise<StatementImport> => {
      throw new DomainError(
        'invalid',
        'statement_unreadable',
        "Row 14, column 'Amount': '85OO.00' is not an amount.",
      );
    };
    expect(await statementFromChat(unreadable, owner, file('april.csv'), 'telegram')).toBe(
      "I could not read “april.csv”: Row 14, column 'Amount': '85OO.00' is not an amount. Please send the statement as downloaded from net banking.",
    );
    const down = async (): Promise<StatementImport> => {
      throw new Error('database down');
    };
    await expect(statementFromChat(down, owner, file('april.csv'), 'telegram')).rejects.toThrow(
      'database down',
    );
  });
});
