import qrcode from 'qrcode-terminal';
import type { Db } from '../../src/db/types.ts';
import type { Logger } from '../../src/log.ts';
import { loadDbAuthState } from './auth-state.ts';
import { phoneFromJid } from './inbound.ts';
import type { SocketFactory } from './socket.ts';
import type { AccountLock } from './supervisor.ts';
import { createWhatsAppChannel } from './whatsapp-channel.ts';

/** `axon whatsapp login`: links a phone to the session with a QR code in the terminal, or a pairing code. */

export interface LoginOptions {
  db: Db;
  logger: Logger;
  session: string;
  lock: AccountLock;
  output: NodeJS.WritableStream;
  /** E.164; asks WhatsApp for an 8-character code to type on the phone instead of showing a QR. */
  pairingPhone?: string | undefined;
  timeoutMs?: number;
  socketFactory?: SocketFactory;
}

export type LoginResult =
  | { linked: true; account: string | undefined; already: boolean }
  | { linked: false; reason: 'busy' | 'logged_out' | 'timeout' };

export async function loginWhatsApp(opts: LoginOptions): Promise<LoginResult> {
  const { output } = opts;
  // A linked session is left alone: connecting here would take its waiting messages away from the server.
  const existing = await loadDbAuthState(opts.db, opts.session);
  if (existing.isLinked()) {
    return { linked: true, account: phoneFromJid(existing.state.creds.me?.id), already: true };
  }
  output.write('Connecting to WhatsApp…\n');
  const channel = createWhatsAppChannel({
    db: opts.db,
    logger: opts.logger,
    session: opts.session,
    lock: opts.lock,
    ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    interactive: {
      onQr(qr) {
        output.write(
          '\nScan this with WhatsApp on your phone: Settings → Linked devices → Link a device.\n\n',
        );
        qrcode.generate(qr, { small: true }, (art) => output.write(`${art}\n`));
      },
      pairingPhone: opts.pairingPhone?.replace(/^\+/, ''),
      onPairingCode(code) {
        const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
        output.write(
          `\nOn your phone: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead.\nEnter this code: ${shown}\n\n`,
        );
      },
    },
  });
  const { connection } = channel;
  const outcome = new Promise<LoginResult>((resolve) => {
    const timer = setTimeout(() => resolve({ linked: false, reason: 'timeout' }), opts.timeoutMs ?? 180_000);
    connection.on('status', (status) => {
      if (status === 'open') resolve({ linked: true, account: connection.account, already: false });
      else if (status === 'logged_out') resolve({ linked: false, reason: 'logged_out' });
      else if (status === 'standby') resolve({ linked: false, reason: 'busy' });
      else return;
      clearTimeout(timer);
    });
  });
  // Inbound messages are not ours to answer while linking; the server's pipeline answers them.
  await channel.start(async () => {});
  try {
    return await outcome;
  } finally {
    await channel.stop();
  }
}
