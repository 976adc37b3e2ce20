import { OtpDeliveryError, type OtpSender } from '../../src/domain/auth/otp-sender.ts';

export interface HttpSmsSettings {
  url: string;
  /** JSON body with {phone} and {code} placeholders. */
  template: string;
  /** A full header line such as "Authorization: Bearer xyz", for the SMS gateway. */
  authHeader?: string | undefined;
  timeoutMs?: number;
}

const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

/** Delivers codes through any HTTP SMS gateway that takes a JSON POST. */
export function httpSmsOtpSender(settings: HttpSmsSettings): OtpSender {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.authHeader) {
    const at = settings.authHeader.indexOf(':');
    if (at < 1) throw new Error('OTP_SMS_AUTH_HEADER must look like "Name: value"');
    headers[settings.authHeader.slice(0, at).trim()] = settings.authHeader.slice(at + 1).trim();
  }
  return {
    name: 'sms',
    async send(phone, code) {
      const body = settings.template
        .replaceAll('{phone}', jsonEscape(phone))
        .replaceAll('{code}', jsonEscape(code));
      let res: Response;
      try {
        res = await fetch(settings.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new OtpDeliveryError(`SMS gateway unreachable: ${(err as Error).message}`);
      }
      if (!res.ok) throw new OtpDeliveryError(`SMS gateway answered ${res.status}`);
    },
  };
}
