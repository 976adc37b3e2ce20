import { openAiTranscriber } from '../../src/agent/transcription.ts';
import { type Config, residencyOf } from '../../src/config.ts';
import { postgresAdvisoryLocks } from '../../src/db/advisory-lock.ts';
import type { Db } from '../../src/db/types.ts';
import type { OtpSender } from '../../src/domain/auth/otp-sender.ts';
import { residentFetch } from '../../src/domain/net/residency.ts';
import type { Notifier } from '../../src/domain/notifier.ts';
import { findUserIdByPhone } from '../../src/domain/tenants.ts';
import type { Logger } from '../../src/log.ts';
import { whatsappOtpSender } from './otp-sender.ts';
import { type AccountLock, singleProcessLock } from './supervisor.ts';
import { createWhatsAppChannel, type WhatsAppChannel } from './whatsapp-channel.ts';

/** Builds the WhatsApp channel from the settings; main.ts loads this only when WHATSAPP_ENABLED, as Baileys is heavy. */

export interface WhatsAppSetup {
  channel: WhatsAppChannel;
  /** OTP delivery while WhatsApp is connected; undefined otherwise, so the next way is tried. */
  otpSender(): OtpSender | undefined;
}

/** One socket per account across processes on Postgres; on PGlite the data-dir lock already means one process. */
export function whatsappLock(config: Pick<Config, 'DATABASE_URL'>, db: Db): AccountLock {
  return db.kind === 'postgres' && config.DATABASE_URL
    ? postgresAdvisoryLocks(config.DATABASE_URL, 'whatsapp')
    : singleProcessLock;
}

export const loggedOutText = (reason: string) =>
  `Your WhatsApp number was disconnected from AxonBOS (${reason}). To link it again, run "npx axon whatsapp login" on the server.`;

export function whatsappFromConfig(
  config: Config,
  db: Db,
  logger: Logger,
  /** Read when the session is logged out, to tell the owner whose number it is on their other channel. */
  notifier: () => Notifier,
): WhatsAppSetup {
  const channel = createWhatsAppChannel({
    db,
    logger,
    session: config.WHATSAPP_SESSION,
    sendGapMs: config.WHATSAPP_SEND_GAP_MS,
    watchdogMs: config.WHATSAPP_WATCHDOG_SECONDS * 1000,
    lock: whatsappLock(config, db),
    transcriber:
      config.OPENAI_API_KEY && config.OPENAI_TRANSCRIBE_MODEL
        ? openAiTranscriber({
            baseURL: config.OPENAI_BASE_URL,
            apiKey: config.OPENAI_API_KEY,
            model: config.OPENAI_TRANSCRIBE_MODEL,
            fetch: residentFetch(residencyOf(config), 'voice notes'),
          })
        : undefined,
    async onLoggedOut(reason) {
      logger.error({ session: config.WHATSAPP_SESSION, reason }, loggedOutText(reason));
      const account = channel.connection.account;
      const owner = account ? await findUserIdByPhone(db, account) : null;
      if (!owner) return;
      await notifier().notify({
        tenantId: owner.tenantId,
        userId: owner.id,
        text: loggedOutText(reason),
        dedupKey: `whatsapp-logged-out:${config.WHATSAPP_SESSION}:${Date.now()}`,
      });
    },
  });
  const otp = whatsappOtpSender(channel);
  return { channel, otpSender: () => (channel.isConnected() ? otp : undefined) };
}
