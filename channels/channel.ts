/**
 * The one shape every chat channel has (WhatsApp, Telegram, console). The pipeline in
 * channels/pipeline/ turns an InboundMessage into a turn of the Digital Employee and the reply back into
 * a `send`; a channel only speaks its vendor's protocol.
 */

export type ChannelName = 'whatsapp' | 'telegram';

export type MediaKind =
  | 'voice'
  | 'audio'
  | 'image'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact';

export interface InboundMessage {
  channel: ChannelName;
  /** Which of our accounts received it: the bot's id on Telegram, our number on WhatsApp. */
  account: string;
  /** The conversation on the vendor's side: a Telegram chat id, a WhatsApp JID. */
  chat: string;
  sender: {
    /** The vendor's id for the person (Telegram user id, WhatsApp JID). */
    id: string;
    /** E.164, when the channel vouches for it (WhatsApp numbers, a Telegram contact shared by its owner). */
    phone?: string | undefined;
    name?: string | undefined;
  };
  /** Unique per (channel, account): the dedup key. */
  messageId: string;
  text: string;
  media: MediaKind | null;
  timestamp: Date;
  /** True when the message is in a group and addresses the bot. */
  group?: { mentioned: boolean } | undefined;
}

export interface OutboundMessage {
  chat: string;
  text: string;
  /** Stable per logical reply (e.g. the turn id): a retried send with the same key is not sent twice. */
  dedupKey: string;
  /** Ask the person to share their phone number (Telegram's contact button); channels without one ignore it. */
  requestPhone?: boolean | undefined;
}

export interface Channel {
  readonly name: ChannelName;
  /** Connects and starts delivering inbound messages to `onMessage`; resolves once it is receiving. */
  start(onMessage: (message: InboundMessage) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  send(message: OutboundMessage): Promise<void>;
}
