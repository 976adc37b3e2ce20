import { OtpDeliveryError, type OtpSender } from '../../src/domain/auth/otp-sender.ts';
import type { WhatsAppChannel } from './whatsapp-channel.ts';

/** Delivers sign-in codes as a WhatsApp message, when WhatsApp is connected and the number is on it. */
export function whatsappOtpSender(channel: WhatsAppChannel): OtpSender {
  return {
    name: 'whatsapp',
    async send(phone, code) {
      if (!channel.isConnected()) throw new OtpDeliveryError('WhatsApp is not connected');
      let jid: string | null;
      try {
        jid = await channel.lookup(phone);
      } catch (err) {
        throw new OtpDeliveryError(`WhatsApp lookup failed: ${(err as Error).message}`);
      }
      if (!jid) throw new OtpDeliveryError(`${phone} is not on WhatsApp`);
      try {
        await channel.send({
          chat: jid,
          text: `Your AxonBOS code is ${code}. It expires in 10 minutes. Please don't share it with anyone.`,
          dedupKey: `otp:${phone}:${code}`,
        });
      } catch (err) {
        throw new OtpDeliveryError(`WhatsApp send failed: ${(err as Error).message}`);
      }
    },
  };
}
