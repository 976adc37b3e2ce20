import { type Db, inTenant, together } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { significantWords } from '../lookup.ts';
import { subjectKey } from '../memory/extractor-offline.ts';
import type { Page } from '../pagination.ts';
import { normalisePhone } from '../phone.ts';
import { unassignOpenTasks } from '../tasks/service.ts';
import { lockSignup } from '../tenants.ts';
import {
  deleteChannelLinks,
  findMember,
  findMemberByPhone,
  insertMember,
  lockOwners,
  markRemoved,
  releaseReminders,
  revokeSessions,
  selectMembers,
  selectMembersNamed,
} from './repo.ts';
import type { Member, MemberCreate, MemberListQuery } from './schema.ts';

/**
 * The people of a business. Owners add and remove them; each signs in with their own phone through the
 * usual OTP flow and lands in this business. Removal is soft: the users row stays (tasks, the audit log,
 * memories and conversations point at it) with `removed_at` set, which frees the phone, ends every session
 * and channel link at once, and hands the member's open tasks and pending reminders back to the owners.
 */

export async function addMember(db: Db, ctx: Ctx, input: MemberCreate): Promise<Member> {
  return db.tenant(ctx.tenantId, async (tx) => {
    // The lock every sign-up path takes: a phone never becomes two users, whoever asks first.
    await lockSignup(tx, input.phone);
    if (await findMemberByPhone(tx, input.phone)) {
      throw new DomainError('conflict', 'member_exists', 'This phone number is already in your team.');
    }
    const member = await insertMember(tx, { id: newId('usr'), tenantId: ctx.tenantId, ...input });
    if (!member) {
      // Not in this business (checked above), so another one: which one is theirs to know, not ours to say.
      throw new DomainError(
        'conflict',
        'phone_in_use',
        'This phone number already uses AxonBOS with another business. They must leave it first.',
      );
    }
    appendAudit(tx, ctx, {
      action: 'member.added',
      entity: 'member',
      entityId: member.id,
      after: member,
    });
    return member;
  });
}

export function listMembers(db: Db, ctx: Ctx, query: MemberListQuery): Promise<Page<Member>> {
  return inTenant(db, ctx.tenantId, (tx) => selectMembers(tx, query));
}

/** A live member of the business; null for a removed one or a stranger. */
export const memberById = (db: Db, ctx: Ctx, id: string): Promise<Member | null> =>
  inTenant(db, ctx.tenantId, (tx) => findMember(tx, id));

export async function getMember(db: Db, ctx: Ctx, id: string): Promise<Member> {
  const member = await memberById(db, ctx, id);
  if (!member) throw notFound('member', id);
  return member;
}

export interface Removal {
  member: Member;
  removed_at: string;
  /** The open tasks that were theirs and now have no assignee. */
  unassigned_task_ids: string[];
}

export async function removeMember(db: Db, ctx: Ctx, id: string): Promise<Removal> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const owners = await lockOwners(tx);
    // The session may have been checked a moment before this owner was removed or demoted.
    if (!ctx.userId || !owners.includes(ctx.userId)) {
      throw new DomainError('forbidden', 'forbidden', 'Only the business owner can do this.');
    }
    const member = await findMember(tx, id, true);
    if (!member) throw notFound('member', id);
    if (owners.every((owner) => owner === id)) {
      throw new DomainError(
        'conflict',
        'last_owner',
        'You are the only owner: add another owner before you leave, so the business is never without one.',
      );
    }
    const removedAt = await markRemoved(tx, id);
    const unassigned = (await unassignOpenTasks(tx, ctx, id)).map((t) => t.id);
    // After the tasks: a reminder they moved to the one acting is released too when that is the leaver.
    const released = together(revokeSessions(tx, id), deleteChannelLinks(tx, id), releaseReminders(tx, id));
    appendAudit(tx, ctx, {
      action: 'member.removed',
      entity: 'member',
      entityId: id,
      before: member,
      after: { removed_at: removedAt, unassigned_task_ids: unassigned },
    });
    await released;
    return { member, removed_at: removedAt, unassigned_task_ids: unassigned };
  });
}

/** How names are compared: significant words, honorifics ("ji", "bhai", "Mr") and plural s aside. */
const nameWords = (s: string) => subjectKey(significantWords(s).join(' '))?.split(' ') ?? [];

/**
 * The members a person means by how they name one ("Ravi", "Ravi bhai", "98450 12345"): a phone matches
 * exactly; a name matches members holding every word (as tasks are found), and when several do, the one
 * whose name has each word whole wins ("Ravi" is Ravi Kumar, not Ravindra, when both exist).
 */
export async function findMembers(db: Db, ctx: Ctx, ref: string, limit = 5): Promise<Member[]> {
  const phone = normalisePhone(ref);
  if (phone) {
    const member = await inTenant(db, ctx.tenantId, (tx) => findMemberByPhone(tx, phone));
    return member ? [member] : [];
  }
  const words = nameWords(ref);
  if (words.length === 0) return [];
  const found = await inTenant(db, ctx.tenantId, (tx) => selectMembersNamed(tx, words, limit));
  if (found.length < 2) return found;
  const whole = found.filter((m) => {
    const have = new Set(nameWords(m.name ?? ''));
    return words.every((w) => have.has(w));
  });
  return whole.length === 1 ? whole : found;
}
