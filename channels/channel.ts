import type { ChannelName, InboundMessage } from './pipeline/inbound.ts';

export type { ChannelName, InboundMessage, MediaKind } from './pipeline/inbound.ts';

/**
 * The one shape every messaging channel has (WhatsApp, Telegram; the console chat runs turns directly and
 * is not one). The pipeline in channels/pipeline/ turns an InboundMessage into a turn of the Digital
 * Employee and the reply back into a `send`; a channel only speaks its vendor's protocol.
 */

export interface OutboundMessage {
  chat: string;
  text: string;
  /** Stable per logical reply (e.g. the turn id): a retried send with the same key is not sent twice. */
  dedupKey: string;
  /** Ask the person to share their phone number (Telegram's contact button); channels without one ignore it. */
  requestPhone?: boolean | undefined;
  /** A PNG (a chart of the answer) sent with `text` as its caption. */
  image?: Buffer | undefined;
}

export interface Channel {
  readonly name: ChannelName;
  /** Connects and starts delivering inbound messages to `onMessage`; resolves once it is receiving. */
  start(onMessage: (message: InboundMessage) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  send(message: OutboundMessage): Promise<void>;
}
