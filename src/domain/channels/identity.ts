import type { Db } from '../../db/types.ts';
import { findUserIdByPhone, loadPrincipal, lockSignup, type Principal, signUpOwner } from '../tenants.ts';
import { type ChannelLink, findLink, upsertLink } from './repo.ts';

/** Who sent a channel message: a linked user, a verified phone just linked (or signed up), or a stranger. */

export interface SenderRef {
  channel: string;
  account: string;
  chat: string;
  senderId: string;
  /** E.164, only when the channel vouches for it (a WhatsApp number, a Telegram contact shared by its owner). */
  verifiedPhone: string | null;
}

export type Identity =
  | { kind: 'known'; principal: Principal; link: ChannelLink }
  | { kind: 'linked'; principal: Principal; link: ChannelLink; signedUp: boolean }
  | { kind: 'unknown'; reason: 'no_phone' | 'signup_closed' };

export interface IdentitySettings {
  allowSignup: boolean;
  defaultTimezone: string;
}

export async function resolveSender(db: Db, s: SenderRef, settings: IdentitySettings): Promise<Identity> {
  const existing = await findLink(db, s.channel, s.account, s.senderId);
  if (existing) {
    const principal = await loadPrincipal(db, existing.userId);
    if (principal) return { kind: 'known', principal, link: existing };
  }
  const phone = s.verifiedPhone;
  if (!phone) return { kind: 'unknown', reason: 'no_phone' };

  const linked = await db.transaction(async (tx) => {
    // The same lock as every other sign-up path: one phone never becomes two businesses.
    await lockSignup(tx, phone);
    const found = await findUserIdByPhone(tx, phone);
    if (!found && !settings.allowSignup) return null;
    const user = found ?? (await signUpOwner(tx, phone, settings.defaultTimezone));
    const link = {
      channel: s.channel,
      account: s.account,
      externalId: s.senderId,
      chat: s.chat,
      userId: user.id,
      tenantId: user.tenantId,
      phone,
    };
    await upsertLink(tx, link);
    return { link: { ...link, conversationId: null }, signedUp: !found };
  });
  if (!linked) return { kind: 'unknown', reason: 'signup_closed' };
  const principal = await loadPrincipal(db, linked.link.userId);
  if (!principal) throw new Error(`user ${linked.link.userId} vanished`);
  return { kind: 'linked', principal, link: linked.link, signedUp: linked.signedUp };
}
