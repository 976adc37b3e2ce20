import type { Channel, ChannelName, InboundMessage, OutboundMessage } from '../../channels/channel.ts';

/** An in-memory Channel for pipeline tests: tests feed inbound messages; sends are recorded by dedup key. */
export interface MemoryChannel extends Channel {
  /** Every send, in order (a resend of the same key appears twice). */
  sends: OutboundMessage[];
  /** What the person sees: one message per dedup key, as a vendor that honours message ids shows it. */
  seen: Map<string, OutboundMessage>;
  /** Delivers a message as the vendor would; resolves once the pipeline recorded it. */
  inbound(
    message: Omit<InboundMessage, 'channel' | 'account' | 'timestamp' | 'media'> & Partial<InboundMessage>,
  ): Promise<void>;
  /** Makes every later send throw (the vendor, or our network, is down). */
  failSends: boolean;
}

export function memoryChannel(name: ChannelName = 'whatsapp', account = '+919000000999'): MemoryChannel {
  let deliver: ((m: InboundMessage) => Promise<void>) | null = null;
  const channel: MemoryChannel = {
    name,
    sends: [],
    seen: new Map(),
    failSends: false,
    async start(onMessage) {
      deliver = onMessage;
    },
    async stop() {
      deliver = null;
    },
    async send(message) {
      if (channel.failSends) throw new Error('network down');
      channel.sends.push(message);
      if (!channel.seen.has(message.dedupKey)) channel.seen.set(message.dedupKey, message);
    },
    async inbound(m) {
      if (!deliver) throw new Error('channel not started');
      await deliver({ channel: name, account, timestamp: new Date(), media: null, ...m });
    },
  };
  return channel;
}
