/** How a one-time code reaches a phone. SMS today; WhatsApp and Telegram plug in through main.ts. */
export interface OtpSender {
  readonly name: string;
  send(phone: string, code: string): Promise<void>;
}

/** Development only: writes the code to the log instead of delivering it. */
export function logOtpSender(log: (msg: string, fields: Record<string, unknown>) => void): OtpSender {
  return {
    name: 'log',
    async send(phone, code) {
      log('OTP for development sign-in (not delivered)', { phone, code });
    },
  };
}

export class OtpDeliveryError extends Error {
  override name = 'OtpDeliveryError';
}
