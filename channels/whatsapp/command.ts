import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { normalisePhone } from '../../src/domain/phone.ts';
import { readSessionStatus } from '../../src/domain/whatsapp/session-store.ts';
import { createLogger } from '../../src/log.ts';
import { whatsappLock } from './from-config.ts';
import { loginWhatsApp } from './login.ts';

/** `axon whatsapp login [--pairing-code <phone>]` and `axon whatsapp status`. */

export const WHATSAPP_USAGE = `Usage: axon whatsapp <command>

  login                          link a phone: scan the QR code shown here with WhatsApp
  login --pairing-code <phone>   link with an 8-character code typed on the phone instead
  status                         whether the session is linked, and as which number`;

export async function whatsappCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, flag, value] = argv;
  if (sub !== 'login' && sub !== 'status') {
    out.write(`${WHATSAPP_USAGE}\n`);
    return sub === undefined || sub === 'help' ? 0 : 2;
  }
  let pairingPhone: string | undefined;
  if (sub === 'login' && flag !== undefined) {
    pairingPhone = flag === '--pairing-code' && value ? (normalisePhone(value) ?? undefined) : undefined;
    if (!pairingPhone) {
      out.write(`Give the WhatsApp number to link, e.g. --pairing-code +919876543210\n\n${WHATSAPP_USAGE}\n`);
      return 2;
    }
  }
  // Baileys' own log is noise at a terminal; warnings still show.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config, logger);
  try {
    const session = config.WHATSAPP_SESSION;
    if (sub === 'status') {
      const status = await readSessionStatus(db, session);
      out.write(
        !status
          ? 'WhatsApp is not linked. Run: npx axon whatsapp login\n'
          : status.status === 'linked'
            ? `WhatsApp is linked as ${status.account ?? 'an unknown number'}.\n`
            : `WhatsApp was logged out (${status.reason ?? 'no reason given'}). Run: npx axon whatsapp login\n`,
      );
      return 0;
    }
    const result = await loginWhatsApp({
      db,
      logger,
      session,
      lock: whatsappLock(config, db),
      output: out,
      pairingPhone,
    });
    if (result.linked) {
      const as = result.account ? ` as ${result.account}` : '';
      out.write(
        result.already
          ? `WhatsApp is already linked${as}. To link another phone, unlink this device from the phone first.\n`
          : `Linked${as} ✅ Set WHATSAPP_ENABLED=true and start AxonBOS.\n`,
      );
      return 0;
    }
    const why = {
      busy: 'A running AxonBOS holds this WhatsApp session; stop it, then try again.',
      logged_out: 'WhatsApp refused the link. Please try again.',
      timeout: 'Nothing was scanned in time. Please try again.',
    }[result.reason];
    out.write(`${why}\n`);
    return 1;
  } finally {
    await db.close();
  }
}
