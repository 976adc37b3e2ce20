import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { TokenService } from '../../domain/auth/tokens.ts';
import { Member, MemberCreate, MemberListQuery, memberId } from '../../domain/members/schema.ts';
import { addMember, listMembers, removeMember } from '../../domain/members/service.ts';
import { defineRoute } from '../route.ts';

const IdParams = z.strictObject({ id: memberId });
const MemberList = z.object({ members: z.array(Member) }).meta({ id: 'MemberList' });
const MemberRemoved = z
  .object({
    id: z.string(),
    removed: z.literal(true),
    removed_at: z.string(),
    unassigned_task_ids: z
      .array(z.string())
      .meta({ description: 'Their open tasks, which now have no assignee' }),
  })
  .meta({ id: 'MemberRemoved' });

/** The team of a business: owners add and remove the people who work in it with them. */
export const memberRoutes = (db: Db, tokens: TokenService) => [
  defineRoute({
    method: 'post',
    path: '/members',
    operationId: 'addMember',
    summary: 'Add a person to your business',
    description:
      'They sign in with their own phone (POST /auth/otp/send, then /auth/otp/verify) and land in this business.',
    tag: 'Members',
    access: 'owner',
    body: MemberCreate,
    response: Member,
    status: 201,
    errors: {
      409: 'member_exists: the phone is already in your team; phone_in_use: it uses AxonBOS with another business',
    },
    handler: async ({ ctx, body }) => ({ data: await addMember(db, ctx, body) }),
  }),
  defineRoute({
    method: 'get',
    path: '/members',
    operationId: 'listMembers',
    summary: 'List the people of your business, earliest first',
    tag: 'Members',
    access: 'owner',
    query: MemberListQuery,
    response: MemberList,
    handler: async ({ ctx, query }) => {
      const page = await listMembers(db, ctx, query);
      return {
        data: { members: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/members/{id}',
    operationId: 'removeMember',
    summary: 'Remove a person from your business',
    description:
      'Their sessions end at once, their open tasks are left unassigned, and their phone is free to sign up or ' +
      'join another business. Their past work (tasks they made, the audit log) stays.',
    tag: 'Members',
    access: 'owner',
    params: IdParams,
    response: MemberRemoved,
    errors: { 404: 'No such member in this business', 409: 'last_owner: the business would have no owner' },
    handler: async ({ ctx, params }) => {
      const removal = await removeMember(db, ctx, params.id);
      // This process refuses their token at once; the others hear it from the database (NOTIFY).
      tokens.forget(params.id);
      return {
        data: {
          id: params.id,
          removed: true as const,
          removed_at: removal.removed_at,
          unassigned_task_ids: removal.unassigned_task_ids,
        },
      };
    },
  }),
];
