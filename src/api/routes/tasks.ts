import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { Task, TaskCreate, TaskListQuery, TaskUpdate, taskId } from '../../domain/tasks/schema.ts';
import {
  completeTask,
  createTask,
  deleteTask,
  getTask,
  listTasks,
  updateTask,
} from '../../domain/tasks/service.ts';
import { defineRoute } from '../route.ts';

const IdParams = z.strictObject({ id: taskId });
const TaskList = z.object({ tasks: z.array(Task) }).meta({ id: 'TaskList' });
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });
const notFound = { 404: 'No such task in this business' };

export const taskRoutes = (db: Db) => [
  defineRoute({
    method: 'get',
    path: '/tasks',
    operationId: 'listTasks',
    summary: 'List tasks',
    tag: 'Tasks',
    access: 'user',
    query: TaskListQuery,
    response: TaskList,
    handler: async ({ ctx, query }) => {
      const page = await listTasks(db, ctx, query);
      return {
        data: { tasks: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/tasks',
    operationId: 'createTask',
    summary: 'Create a task',
    description: 'A due_at without a due_date sets the date in your time zone.',
    tag: 'Tasks',
    access: 'user',
    body: TaskCreate,
    response: Task,
    status: 201,
    handler: async ({ ctx, body }) => ({ data: await createTask(db, ctx, body, 'api') }),
  }),
  defineRoute({
    method: 'get',
    path: '/tasks/{id}',
    operationId: 'getTask',
    summary: 'Get a task',
    tag: 'Tasks',
    access: 'user',
    params: IdParams,
    response: Task,
    errors: notFound,
    handler: async ({ ctx, params }) => ({ data: await getTask(db, ctx, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/tasks/{id}',
    operationId: 'updateTask',
    summary: 'Change a task',
    tag: 'Tasks',
    access: 'user',
    params: IdParams,
    body: TaskUpdate,
    response: Task,
    errors: notFound,
    handler: async ({ ctx, params, body }) => ({ data: await updateTask(db, ctx, params.id, body) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/tasks/{id}',
    operationId: 'deleteTask',
    summary: 'Delete a task',
    tag: 'Tasks',
    access: 'user',
    params: IdParams,
    response: Deleted,
    errors: notFound,
    handler: async ({ ctx, params }) => {
      await deleteTask(db, ctx, params.id);
      return { data: { id: params.id, deleted: true as const } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/tasks/{id}/complete',
    operationId: 'completeTask',
    summary: 'Mark a task done',
    tag: 'Tasks',
    access: 'user',
    params: IdParams,
    response: Task,
    errors: { ...notFound, 409: 'The task was cancelled' },
    handler: async ({ ctx, params }) => ({ data: await completeTask(db, ctx, params.id) }),
  }),
];
