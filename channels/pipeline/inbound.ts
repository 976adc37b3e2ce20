import { z } from 'zod';
import { isE164 } from '../../src/domain/phone.ts';

/**
 * What a channel hands the pipeline for each message, checked on arrival: the one definition of channel
 * names, media kinds and what a group message carries. `InboundMessage` in channel.ts is this schema's type.
 */

export const ChannelName = z.enum(['whatsapp', 'telegram']);

export const MediaKind = z.enum([
  'voice',
  'audio',
  'image',
  'video',
  'document',
  'sticker',
  'location',
  'contact',
]);

export const InboundMessage = z.object({
  channel: ChannelName,
  /** Which of our accounts received it: the bot's id on Telegram, our number on WhatsApp. */
  account: z.string().min(1),
  /** The conversation on the vendor's side: a Telegram chat id, a WhatsApp JID. */
  chat: z.string().min(1),
  sender: z.object({
    /** The vendor's id for the person (Telegram user id, WhatsApp JID). */
    id: z.string().min(1),
    /** E.164, when the channel vouches for it (WhatsApp numbers, a Telegram contact shared by its owner). */
    phone: z.string().refine(isE164).optional(),
    name: z.string().optional(),
  }),
  /** Unique per (channel, account): the dedup key. */
  messageId: z.string().min(1),
  text: z.string(),
  media: MediaKind.nullable(),
  /**
   * A document's file (a bank statement sent to the Digital Employee): its name and size, and its bytes when
   * the channel fetched them (not for one larger than MAX_FILE_BYTES).
   */
  file: z
    .object({
      name: z.string().max(300),
      size: z.number().int().min(0),
      bytes: z.instanceof(Buffer).nullable(),
    })
    .optional(),
  timestamp: z.date(),
  /**
   * Present when the message was posted in a group: whether it addresses the bot (mentions it or replies to
   * it) and how the mentions of the bot were written, so that the text can be read without them.
   */
  group: z.object({ addressed: z.boolean(), mentions: z.array(z.string().min(1)) }).optional(),
});

/** The largest document a channel fetches: a statement file's limit. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text the Digital Employee should read, or null when the message is not for it: a group message is
 * for us only where groups are on for its channel and it addresses the bot; "@bot remind me…" reads as
 * "remind me…".
 */
export function textForUs(m: InboundMessage, groupsEnabled: boolean): string | null {
  if (!m.group) return m.text;
  if (!groupsEnabled || !m.group.addressed) return null;
  let text = m.text;
  for (const mention of m.group.mentions) {
    text = text.replace(new RegExp(`${escapeRegExp(mention)}(?![\\p{L}\\p{N}_])`, 'giu'), ' ');
  }
  return text.replace(/\s{2,}/g, ' ').trim();
}

export type InboundMessage = z.infer<typeof InboundMessage>;
export type ChannelName = z.infer<typeof ChannelName>;
export type MediaKind = z.infer<typeof MediaKind>;
