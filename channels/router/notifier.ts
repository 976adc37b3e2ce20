import type { Db } from '../../src/db/types.ts';
import { getOutbound, linksOfUser, queueOutbound } from '../../src/domain/channels/repo.ts';
import type { Delivery, Notifier } from '../../src/domain/notifier.ts';
import type { ChannelName } from '../channel.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';

/** Preferred order when a user is reachable on several channels. */
const PREFERENCE: ChannelName[] = ['whatsapp', 'telegram'];

/**
 * Reaches a user on their linked channel (WhatsApp first, else Telegram, else the fallback, usually the log).
 * The message is queued under its dedup key and sent by the chat's own run, so it is never sent twice and
 * never interleaves with a reply being written for the same chat.
 */
export function channelNotifier(db: Db, pipeline: Pipeline, fallback: Notifier, waitMs = 30_000): Notifier {
  return {
    async notify(n): Promise<Delivery> {
      const links = await linksOfUser(db, n.userId);
      const link = PREFERENCE.map((name) =>
        pipeline.channel(name) ? links.find((l) => l.channel === name) : undefined,
      ).find(Boolean);
      if (!link) return fallback.notify(n);
      const dedupKey = `notify:${n.dedupKey}`;
      const existing = await getOutbound(db, dedupKey);
      if (existing?.sent) return { via: existing.channel, delivered: true };
      const key = { channel: link.channel, account: link.account, chat: link.chat };
      if (!existing)
        await queueOutbound(db, { ...key, dedupKey, text: n.text, requestPhone: false, image: n.image });
      const outcome = new Promise<boolean>((resolve) => {
        const onSent = (e: { dedupKey: string }) => e.dedupKey === dedupKey && finish(true);
        const onFailed = (e: { dedupKey: string }) => e.dedupKey === dedupKey && finish(false);
        // Another process may hold the chat and send it: then no event reaches us, so the wait is bounded.
        const timer = setTimeout(() => finish(false), waitMs);
        const finish = (delivered: boolean) => {
          clearTimeout(timer);
          pipeline.events.off('sent', onSent);
          pipeline.events.off('send_failed', onFailed);
          resolve(delivered);
        };
        pipeline.events.on('sent', onSent);
        pipeline.events.on('send_failed', onFailed);
      });
      pipeline.wake(key);
      // Not delivered yet means it stays queued: the chat's run retries it, and so does a later notify.
      return { via: existing?.channel ?? link.channel, delivered: await outcome };
    },
  };
}
