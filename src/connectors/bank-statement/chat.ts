import type { Ctx } from '../../domain/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/tenants.ts';
import type { StatementImport } from './import.ts';

/**
 * A statement an owner sends on WhatsApp or Telegram as a document: imported as the API and the CLI import
 * one, and answered in a few words. Anything that is not a statement file gets a clear answer.
 */

const STATEMENT_FILE = /\.(csv|xlsx|xls|txt)$/i;
/** The API's limit for a statement, and what the channels fetch. */
const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;

const day = (date: string) =>
  new Intl.DateTimeFormat('en-IN', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
const n = (v: number) => new Intl.NumberFormat('en-IN').format(v);

export function statementImportedText(r: StatementImport): string {
  const span = r.from && r.to ? ` from ${day(r.from)} to ${day(r.to)}` : '';
  const parts = [
    `🏦 Statement added: ${n(r.lines)} entries${span}. ${n(r.added)} new, ${n(r.unchanged)} already here.`,
  ];
  if (r.reconciled > 0) parts.push(`${n(r.reconciled)} matched to Razorpay settlements ✅`);
  return parts.join(' ');
}

export interface ChatFile {
  name: string;
  size: number;
  bytes: Buffer | null;
}

export async function statementFromChat(
  importStatement: (ctx: Ctx, bytes: Buffer) => Promise<StatementImport>,
  principal: Principal,
  file: ChatFile,
  via: Ctx['via'],
): Promise<string> {
  if (!STATEMENT_FILE.test(file.name)) {
    return 'I can read bank statements sent as a CSV or Excel file. For anything else, please type your message 🙏';
  }
  if (principal.role !== 'owner') return 'Only the business owner can add bank statements 🙏';
  if (!file.bytes) {
    return file.size > MAX_STATEMENT_BYTES
      ? 'That file is larger than 10 MB. Please send a shorter statement (a month at a time works well).'
      : 'I could not open that file just now. Please send it again.';
  }
  const ctx: Ctx = {
    tenantId: principal.tenantId,
    userId: principal.userId,
    actor: 'user',
    via,
    timezone: principal.timezone,
  };
  try {
    return statementImportedText(await importStatement(ctx, file.bytes));
  } catch (err) {
    if (err instanceof DomainError && err.code === 'statement_unreadable') {
      return `I could not read “${file.name}”: ${err.message} Please send the statement as downloaded from net banking.`;
    }
    throw err;
  }
}
