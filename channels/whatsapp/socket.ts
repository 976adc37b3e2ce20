import makeWASocket, {
  type AuthenticationState,
  type BaileysEventMap,
  Browsers,
  downloadMediaMessage,
  isJidBroadcast,
  isJidNewsletter,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../src/log.ts';

/** The part of Baileys' socket the channel uses, so that tests can hand in a fake of the same shape. */

export type SocketEvents = Pick<BaileysEventMap, 'connection.update' | 'creds.update' | 'messages.upsert'>;

export interface WhatsAppSocket {
  ev: { on<E extends keyof SocketEvents>(event: E, listener: (arg: SocketEvents[E]) => void): void };
  /** The raw websocket; it emits 'frame' for every frame received, which the watchdog counts as life. */
  ws: { on(event: 'frame', listener: () => void): unknown };
  /** Our own account once connected: the phone JID and, on Baileys 7, the LID. */
  user?: { id: string; lid?: string | undefined } | undefined;
  /** Text, or a picture with its caption. */
  sendMessage(
    jid: string,
    content: { text: string } | { image: Buffer; caption: string },
    options?: { messageId?: string },
  ): Promise<unknown>;
  onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  requestPairingCode(phone: string): Promise<string>;
  /** Closes the socket; `connection.update` then reports `close` with this error as the reason. */
  end(error: Error | undefined): Promise<void> | void;
}

export interface SocketOptions {
  auth: AuthenticationState;
  logger: Logger;
}

export type SocketFactory = (options: SocketOptions) => WhatsAppSocket;

export const baileysSocketFactory: SocketFactory = ({ auth, logger }) =>
  makeWASocket({
    auth,
    logger,
    browser: Browsers.ubuntu('AxonBOS'),
    // Staying "offline" keeps the owner's phone ringing for their own chats.
    markOnlineOnConnect: false,
    syncFullHistory: false,
    shouldIgnoreJid: (jid) => Boolean(isJidBroadcast(jid) || isJidNewsletter(jid)),
    // We keep no message store, so a peer's retry request cannot be re-encrypted; WhatsApp then gives up.
    getMessage: async () => undefined,
  });

/** Downloads a message's media (a voice note) from WhatsApp's servers. */
export type MediaDownloader = (message: WAMessage) => Promise<Buffer>;

export function baileysMediaDownloader(logger: Logger): MediaDownloader {
  return (message) =>
    downloadMediaMessage(
      message,
      'buffer',
      {},
      {
        logger,
        reuploadRequest: async () => {
          throw new Error('media expired on WhatsApp servers');
        },
      },
    );
}
