/**
 * How code below the channels (reminders, briefings, alerts, OTPs) reaches a person without knowing
 * which channel they use. main.ts plugs in the channel router; the log notifier is the fallback.
 */
export interface Notification {
  tenantId: string;
  userId: string;
  text: string;
  /** A picture sent with the text as its caption (a chart), where the channel can show one. */
  image?: Buffer | undefined;
  /** Stable per logical message (e.g. `reminder:<task id>:<remind_at>`): never delivered twice. */
  dedupKey: string;
}

export interface Delivery {
  /** Where it went: 'whatsapp', 'telegram', or 'log' when the user has no linked channel. */
  via: string;
  delivered: boolean;
}

export interface Notifier {
  notify(n: Notification): Promise<Delivery>;
}

export function logNotifier(log: (fields: Record<string, unknown>, msg: string) => void): Notifier {
  return {
    async notify(n) {
      log(
        { tenantId: n.tenantId, userId: n.userId, dedupKey: n.dedupKey, text: n.text },
        'notification (no channel linked)',
      );
      return { via: 'log', delivered: true };
    },
  };
}
