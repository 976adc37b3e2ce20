import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  type proto,
  type WAMessage,
} from '@whiskeysockets/baileys';
import { isE164 } from '../../src/domain/phone.ts';
import type { InboundMessage, MediaKind } from '../channel.ts';

/** Turns a Baileys message into the channel-neutral InboundMessage, or says why it is not one. */

export interface OwnAccount {
  /** Our number, E.164: the `account` of every message we receive. */
  account: string;
  /** Our JIDs without device suffix (phone JID and LID), to recognise mentions and replies to us. */
  jids: string[];
}

export type IgnoreReason = 'from_me' | 'broadcast' | 'no_content' | 'no_sender';

export type Normalised =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'ignored'; reason: IgnoreReason };

/** `919876543210@s.whatsapp.net` (or `…:12@s.whatsapp.net`, a device) → `+919876543210`. */
export function phoneFromJid(jid: string | null | undefined): string | undefined {
  if (!jid || !isPnUser(jid)) return undefined;
  const user = jidDecode(jid)?.user;
  const phone = user ? `+${user}` : '';
  return isE164(phone) ? phone : undefined;
}

/** The E.164 number a phone JID stands for, as a JID to send to. */
export const jidForPhone = (phone: string) => `${phone.replace(/^\+/, '')}@s.whatsapp.net`;

type Content = proto.IMessage;

interface Body {
  text: string;
  media: MediaKind | null;
  context: proto.IContextInfo | null | undefined;
}

/** What the message carries. Protocol messages (edits, deletes, receipts of keys) and reactions carry nothing. */
function bodyOf(c: Content): Body | null {
  if (c.conversation) return { text: c.conversation, media: null, context: null };
  if (c.extendedTextMessage) {
    return {
      text: c.extendedTextMessage.text ?? '',
      media: null,
      context: c.extendedTextMessage.contextInfo,
    };
  }
  if (c.audioMessage) {
    const a = c.audioMessage;
    return { text: '', media: a.ptt ? 'voice' : 'audio', context: a.contextInfo };
  }
  if (c.imageMessage) return captioned(c.imageMessage, 'image');
  if (c.videoMessage) return captioned(c.videoMessage, 'video');
  if (c.ptvMessage) return captioned(c.ptvMessage, 'video');
  if (c.documentMessage) return captioned(c.documentMessage, 'document');
  if (c.stickerMessage) return { text: '', media: 'sticker', context: c.stickerMessage.contextInfo };
  if (c.locationMessage) return { text: '', media: 'location', context: c.locationMessage.contextInfo };
  if (c.liveLocationMessage)
    return { text: '', media: 'location', context: c.liveLocationMessage.contextInfo };
  if (c.contactMessage) return { text: '', media: 'contact', context: c.contactMessage.contextInfo };
  if (c.contactsArrayMessage)
    return { text: '', media: 'contact', context: c.contactsArrayMessage.contextInfo };
  return null;
}

function captioned(
  m: { caption?: string | null; contextInfo?: proto.IContextInfo | null },
  media: MediaKind,
): Body {
  return { text: m.caption ?? '', media, context: m.contextInfo };
}

function timestampOf(msg: WAMessage): Date {
  const t = msg.messageTimestamp;
  const seconds = typeof t === 'number' ? t : t ? Number(t.toString()) : 0;
  return seconds > 0 ? new Date(seconds * 1000) : new Date();
}

export function normaliseMessage(msg: WAMessage, own: OwnAccount): Normalised {
  const key = msg.key;
  if (key.fromMe) return { kind: 'ignored', reason: 'from_me' };
  const remote = key.remoteJid;
  if (!remote || isJidStatusBroadcast(remote) || isJidBroadcast(remote) || isJidNewsletter(remote)) {
    return { kind: 'ignored', reason: 'broadcast' };
  }
  const content = normalizeMessageContent(msg.message);
  const body = content ? bodyOf(content) : null;
  if (!body || !key.id || (body.text.trim() === '' && body.media === null)) {
    return { kind: 'ignored', reason: 'no_content' };
  }

  const inGroup = Boolean(isJidGroup(remote));
  // Baileys 7 addresses people by LID where it can and puts the phone JID, when it knows it, in *Alt.
  const candidates = inGroup ? [key.participantAlt, key.participant] : [key.remoteJidAlt, remote];
  const senderJid = candidates.find((j) => j && isPnUser(j)) ?? candidates.find((j) => j && isLidUser(j));
  if (!senderJid) return { kind: 'ignored', reason: 'no_sender' };
  const sender = jidNormalizedUser(senderJid);

  let group: InboundMessage['group'];
  if (inGroup) {
    const ours = new Set(own.jids.map((j) => jidNormalizedUser(j)));
    const mentioned = (body.context?.mentionedJid ?? []).some((j) => ours.has(jidNormalizedUser(j)));
    const repliedToUs = Boolean(
      body.context?.participant && ours.has(jidNormalizedUser(body.context.participant)),
    );
    // A mention of us is written "@<our number or LID>" in the text.
    const mentions = [...ours].flatMap((jid) => {
      const user = jidDecode(jid)?.user;
      return user ? [`@${user}`] : [];
    });
    group = { addressed: mentioned || repliedToUs, mentions };
  }

  return {
    kind: 'message',
    message: {
      channel: 'whatsapp',
      account: own.account,
      // A direct chat is keyed by the person's phone JID when known, so LID and phone deliveries share one chat.
      chat: inGroup ? remote : sender,
      sender: { id: sender, phone: phoneFromJid(sender), name: msg.pushName ?? undefined },
      messageId: key.id,
      text: body.text,
      media: body.media,
      timestamp: timestampOf(msg),
      group,
    },
  };
}
