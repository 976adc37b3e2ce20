import type { Db } from '../../src/db/types.ts';
import type { OtpSender } from '../../src/domain/auth/otp-sender.ts';
import { linksOfPhone } from '../../src/domain/channels/repo.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';

export const otpText = (code: string) =>
  `${code} is your AxonBOS sign-in code. It expires in 10 minutes. Do not share it with anyone.`;

export interface ChannelOtpDeps {
  db: Db;
  pipeline: Pipeline;
  /** SMS or the log: used when the number is reachable on no chat channel. */
  fallback: OtpSender;
  /**
   * WhatsApp delivery, filled in by the WhatsApp channel when it is connected: it should throw when the
   * number is not on WhatsApp, and the next way is tried.
   */
  whatsapp?: () => OtpSender | undefined;
}

/**
 * Sends a sign-in code on the channel the number already uses: Telegram when linked, then WhatsApp when it
 * is connected, then the fallback. Codes are not queued in the database: a code is useful for minutes only.
 */
export function channelOtpSender(deps: ChannelOtpDeps): OtpSender {
  return {
    name: 'channels',
    async send(phone, code) {
      const telegram = deps.pipeline.channel('telegram');
      const link = telegram
        ? (await linksOfPhone(deps.db, phone)).find((l) => l.channel === 'telegram')
        : undefined;
      if (telegram && link) {
        try {
          await telegram.send({ chat: link.chat, text: otpText(code), dedupKey: `otp:${phone}:${code}` });
          return;
        } catch {
          // Fall through to the next way of reaching the number.
        }
      }
      const whatsapp = deps.whatsapp?.();
      if (whatsapp) {
        try {
          await whatsapp.send(phone, code);
          return;
        } catch {
          // Not on WhatsApp, or WhatsApp is down: the fallback still works.
        }
      }
      await deps.fallback.send(phone, code);
    },
  };
}
