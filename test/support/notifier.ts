import type { Delivery, Notification, Notifier } from '../../src/domain/notifier.ts';

/** A notifier that records what it was asked to send and lets a test wait for the n-th message. */
export interface CapturingNotifier extends Notifier {
  sent: Notification[];
  waitFor(count: number, timeoutMs?: number): Promise<Notification[]>;
}

export function capturingNotifier(): CapturingNotifier {
  const sent: Notification[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    sent,
    async notify(n): Promise<Delivery> {
      sent.push(n);
      for (const w of [...waiters]) {
        if (sent.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      return { via: 'log', delivered: true };
    },
    waitFor(count, timeoutMs = 10_000) {
      if (sent.length >= count) return Promise.resolve(sent);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} notifications, got ${sent.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(sent);
          },
        });
      });
    },
  };
}
