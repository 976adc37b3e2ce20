import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import {
  FollowUp,
  FollowUpCreate,
  FollowUpDone,
  FollowUpListQuery,
  FollowUpSnooze,
  FollowUpUpdate,
  followUpId,
} from '../../domain/follow-ups/schema.ts';
import {
  completeFollowUp,
  createFollowUp,
  deleteFollowUp,
  getFollowUp,
  listFollowUps,
  snoozeFollowUp,
  updateFollowUp,
} from '../../domain/follow-ups/service.ts';
import { defineRoute } from '../route.ts';

const IdParams = z.strictObject({ id: followUpId });
const FollowUpList = z.object({ follow_ups: z.array(FollowUp) }).meta({ id: 'FollowUpList' });
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });
const notFound = { 404: 'No such follow-up in this business' };

export const followUpRoutes = (db: Db) => [
  defineRoute({
    method: 'get',
    path: '/follow-ups',
    operationId: 'listFollowUps',
    summary: 'List follow-ups',
    description: 'overdue=true lists pending or snoozed follow-ups past their due time.',
    tag: 'Follow-ups',
    access: 'user',
    query: FollowUpListQuery,
    response: FollowUpList,
    handler: async ({ ctx, query }) => {
      const page = await listFollowUps(db, ctx, query);
      return {
        data: { follow_ups: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/follow-ups',
    operationId: 'createFollowUp',
    summary: 'Create a follow-up',
    tag: 'Follow-ups',
    access: 'user',
    body: FollowUpCreate,
    response: FollowUp,
    status: 201,
    handler: async ({ ctx, body }) => ({ data: await createFollowUp(db, ctx, body, 'api') }),
  }),
  defineRoute({
    method: 'get',
    path: '/follow-ups/{id}',
    operationId: 'getFollowUp',
    summary: 'Get a follow-up',
    tag: 'Follow-ups',
    access: 'user',
    params: IdParams,
    response: FollowUp,
    errors: notFound,
    handler: async ({ ctx, params }) => ({ data: await getFollowUp(db, ctx, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/follow-ups/{id}',
    operationId: 'updateFollowUp',
    summary: 'Change a follow-up',
    tag: 'Follow-ups',
    access: 'user',
    params: IdParams,
    body: FollowUpUpdate,
    response: FollowUp,
    errors: notFound,
    handler: async ({ ctx, params, body }) => ({ data: await updateFollowUp(db, ctx, params.id, body) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/follow-ups/{id}',
    operationId: 'deleteFollowUp',
    summary: 'Delete a follow-up',
    tag: 'Follow-ups',
    access: 'user',
    params: IdParams,
    response: Deleted,
    errors: notFound,
    handler: async ({ ctx, params }) => {
      await deleteFollowUp(db, ctx, params.id);
      return { data: { id: params.id, deleted: true as const } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/follow-ups/{id}/snooze',
    operationId: 'snoozeFollowUp',
    summary: 'Snooze a follow-up',
    tag: 'Follow-ups',
    access: 'user',
    params: IdParams,
    body: FollowUpSnooze,
    response: FollowUp,
    errors: { ...notFound, 409: 'The follow-up is already done or cancelled' },
    handler: async ({ ctx, params, body }) => ({ data: await snoozeFollowUp(db, ctx, params.id, body) }),
  }),
  defineRoute({
    method: 'post',
    path: '/follow-ups/{id}/done',
    operationId: 'completeFollowUp',
    summary: 'Mark a follow-up done',
    tag: 'Follow-ups',
    access: 'user',
    params: IdParams,
    body: FollowUpDone,
    response: FollowUp,
    errors: { ...notFound, 409: 'The follow-up was cancelled' },
    handler: async ({ ctx, params, body }) => ({
      data: await completeFollowUp(db, ctx, params.id, body.outcome),
    }),
  }),
];
