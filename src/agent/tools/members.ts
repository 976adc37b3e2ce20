import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../../domain/context.ts';
import { type Member, memberId } from '../../domain/members/schema.ts';
import { findMembers, getMember, memberById } from '../../domain/members/service.ts';
import { type Failure, fail } from './tool.ts';

/**
 * The team side of the task tools: who "Ravi", "me" or "98450 12345" is, always a member of the speaker's
 * own business (the lookup runs under its row-level security).
 */

/** A member as the model reads it when it must choose: enough to tell two apart, not their number. */
export interface MemberBrief {
  id: string;
  name: string | null;
  role: Member['role'];
  phone_last4: string;
}

export const briefMember = (m: Member): MemberBrief => ({
  id: m.id,
  name: m.name,
  role: m.role,
  phone_last4: m.phone.slice(-4),
});

/** Who a task is assigned to, in a tool result. */
export interface AssigneeBrief {
  id: string;
  name: string | null;
  /** The assignee is the person speaking. */
  you: boolean;
}

const briefAssignee = (m: Member, ctx: Ctx): AssigneeBrief => ({
  id: m.id,
  name: m.name,
  you: m.id === ctx.userId,
});

export const assigneeArg = z
  .string()
  .min(1)
  .describe(
    'Who should do it: a team member by name as the user says it (e.g. "Ravi"), or their phone number; ' +
      '"me" for the user; "nobody" to leave it unassigned. Leave out when the user names no one.',
  );

const SPEAKER = new Set(['me', 'myself', 'mujhe', 'khud']);
const NOBODY = new Set(['nobody', 'no one', 'none', 'unassigned']);

/** The member an `assignee` argument names (null: nobody), or a failure the model can explain. */
export async function resolveAssignee(
  db: Db,
  ctx: Ctx,
  ref: string,
): Promise<{ found: AssigneeBrief | null } | { failure: Failure }> {
  const said = ref.trim().toLowerCase();
  if (NOBODY.has(said)) return { found: null };
  if (SPEAKER.has(said) && ctx.userId)
    return { found: briefAssignee(await getMember(db, ctx, ctx.userId), ctx) };
  if (memberId.safeParse(ref).success) return { found: briefAssignee(await getMember(db, ctx, ref), ctx) };
  const members = await findMembers(db, ctx, ref);
  if (members.length === 0) {
    return {
      failure: fail(
        'member_not_found',
        `No one in your team matches "${ref}". The owner can add them with their name and phone number ` +
          '(POST /api/v1/members), then ask me again.',
      ),
    };
  }
  if (members.length > 1) {
    return {
      failure: fail(
        'ambiguous',
        `${members.length} people in your team match "${ref}".`,
        members.map(briefMember),
      ),
    };
  }
  return { found: briefAssignee(members[0] as Member, ctx) };
}

/** The assignee of a task for its tool result: the one just resolved, else looked up (gone: nobody). */
export async function assigneeOf(
  db: Db,
  ctx: Ctx,
  assigneeId: string | null,
  resolved?: AssigneeBrief | null,
): Promise<AssigneeBrief | null> {
  if (!assigneeId) return null;
  if (resolved?.id === assigneeId) return resolved;
  const member = await memberById(db, ctx, assigneeId);
  return member ? briefAssignee(member, ctx) : null;
}
