import { z } from 'zod';
import { contactPhone, idOf, requiredText } from '../fields.ts';
import { pageFields } from '../pagination.ts';
import { Role } from '../tenants.ts';

/** The people of a business: owners and members, each a user who signs in with their own phone. */

export const memberId = idOf('usr');

export const MemberCreate = z
  .strictObject({
    phone: contactPhone.meta({
      description: 'Their own mobile number: E.164, or as Indians write it (98450 12345); stored as E.164',
      example: '+919845012345',
    }),
    name: requiredText(100).meta({ description: 'What the team calls them', example: 'Ravi Kumar' }),
    role: Role.default('member').meta({
      description:
        "owner: everything, members and settings included; member: the business's tasks and follow-ups, their own chat and memory",
    }),
  })
  .meta({ id: 'MemberCreate' });
export type MemberCreate = z.output<typeof MemberCreate>;

export const Member = z
  .object({
    id: z.string().meta({ example: 'usr_01jq2n3v4w5x6y7z8a9b0c' }),
    phone: z.string().meta({ example: '+919845012345' }),
    name: z.string().nullable(),
    role: Role,
    created_at: z.string(),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

export const MemberListQuery = z.strictObject({ ...pageFields }).meta({ id: 'MemberListQuery' });
export type MemberListQuery = z.infer<typeof MemberListQuery>;
