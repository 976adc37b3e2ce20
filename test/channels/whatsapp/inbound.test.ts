import { describe, expect, it } from 'vitest';
import { normaliseMessage, phoneFromJid } from '../../../channels/whatsapp/inbound.ts';
import { waMessage } from '../../fakes/whatsapp-socket.ts';

const own = { account: '+919000000001', jids: ['919000000001:7@s.whatsapp.net', '123456789:7@lid'] };
const GROUP = '120363000000000001@g.us';

const ok = (result: ReturnType<typeof normaliseMessage>) => {
  if (result.kind !== 'message') throw new Error(`ignored: ${result.reason}`);
  return result.message;
};

describe('WhatsApp inbound normalisation', () => {
  it('turns a direct text into an InboundMessage with the sender’s phone from the JID', () => {
    const m = ok(
      normaliseMessage(
        waMessage({ id: 'ABC', text: 'kal 5 baje GST file karna hai', pushName: 'Ravi' }),
        own,
      ),
    );
    expect(m).toEqual({
      channel: 'whatsapp',
      account: '+919000000001',
      chat: '919812345678@s.whatsapp.net',
      sender: { id: '919812345678@s.whatsapp.net', phone: '+919812345678', name: 'Ravi' },
      messageId: 'ABC',
      text: 'kal 5 baje GST file karna hai',
      media: null,
      timestamp: new Date(1_767_000_000 * 1000),
      group: undefined,
    });
  });

  it('uses the phone JID Baileys 7 gives beside a LID, so a person has one chat and a known number', () => {
    const m = ok(
      normaliseMessage(
        waMessage({ from: '98765432101234@lid', fromAlt: '919812345678@s.whatsapp.net' }),
        own,
      ),
    );
    expect(m.chat).toBe('919812345678@s.whatsapp.net');
    expect(m.sender).toMatchObject({ id: '919812345678@s.whatsapp.net', phone: '+919812345678' });
  });

  it('passes a LID-only sender on without a phone: the pipeline treats it as unverified', () => {
    const m = ok(normaliseMessage(waMessage({ from: '98765432101234@lid' }), own));
    expect(m.sender).toMatchObject({ id: '98765432101234@lid', phone: undefined });
  });

  it('ignores our own messages, status updates and broadcasts', () => {
    expect(normaliseMessage(waMessage({ fromMe: true }), own)).toEqual({
      kind: 'ignored',
      reason: 'from_me',
    });
    expect(normaliseMessage(waMessage({ from: 'status@broadcast' }), own)).toMatchObject({
      reason: 'broadcast',
    });
    expect(normaliseMessage(waMessage({ from: '12345@broadcast' }), own)).toMatchObject({
      reason: 'broadcast',
    });
    expect(normaliseMessage(waMessage({ from: '12345@newsletter' }), own)).toMatchObject({
      reason: 'broadcast',
    });
  });

  it('ignores messages that carry nothing to answer: reactions, deletes and edits, empty text', () => {
    const reaction = waMessage({ message: { reactionMessage: { text: '👍' } } });
    const revoke = waMessage({ message: { protocolMessage: { type: 0 } } });
    const blank = waMessage({ text: '   ' });
    for (const m of [reaction, revoke, blank]) {
      expect(normaliseMessage(m, own)).toEqual({ kind: 'ignored', reason: 'no_content' });
    }
  });

  it('names the media kind and keeps captions as text', () => {
    const cases: [Parameters<typeof waMessage>[0]['message'], string | null, string][] = [
      [{ audioMessage: { ptt: true, seconds: 4 } }, 'voice', ''],
      [{ audioMessage: { ptt: false } }, 'audio', ''],
      [{ imageMessage: { caption: 'bill for Sharma ji' } }, 'image', 'bill for Sharma ji'],
      [{ videoMessage: {} }, 'video', ''],
      [
        { documentWithCaptionMessage: { message: { documentMessage: { caption: 'invoice' } } } },
        'document',
        'invoice',
      ],
      [{ stickerMessage: {} }, 'sticker', ''],
      [{ locationMessage: { degreesLatitude: 19.07 } }, 'location', ''],
      [{ contactMessage: { displayName: 'Mehta' } }, 'contact', ''],
    ];
    for (const [message, media, text] of cases) {
      expect(ok(normaliseMessage(waMessage({ message }), own))).toMatchObject({ media, text });
    }
  });

  it('unwraps disappearing and view-once messages', () => {
    const m = waMessage({
      message: { ephemeralMessage: { message: { extendedTextMessage: { text: 'my day' } } } },
    });
    expect(ok(normaliseMessage(m, own)).text).toBe('my day');
  });

  it('reports a group message with whether it addresses the bot and how its mentions are written', () => {
    const mention = (mentionedJid: string[], text = '@919000000001 remind me to call Mehta') =>
      waMessage({
        group: GROUP,
        participant: '98765432101234@lid',
        participantAlt: '919812345678@s.whatsapp.net',
        message: { extendedTextMessage: { text, contextInfo: { mentionedJid } } },
      });
    const chatter = ok(normaliseMessage(mention(['919811111111@s.whatsapp.net'], 'hi all'), own));
    expect(chatter.group).toMatchObject({ addressed: false });

    const m = ok(normaliseMessage(mention(['919000000001@s.whatsapp.net']), own));
    expect(m).toMatchObject({
      chat: GROUP,
      sender: { id: '919812345678@s.whatsapp.net', phone: '+919812345678' },
      text: '@919000000001 remind me to call Mehta',
      group: { addressed: true, mentions: ['@919000000001', '@123456789'] },
    });
    expect(ok(normaliseMessage(mention(['123456789@lid'], '@123456789 my day'), own)).group?.addressed).toBe(
      true,
    );

    const reply = waMessage({
      group: GROUP,
      participant: '919812345678@s.whatsapp.net',
      message: {
        extendedTextMessage: { text: 'done', contextInfo: { participant: '919000000001@s.whatsapp.net' } },
      },
    });
    expect(ok(normaliseMessage(reply, own)).group?.addressed).toBe(true);
  });

  it('reads timestamps given as protobuf Longs', () => {
    const m = waMessage({});
    m.messageTimestamp = { toString: () => '1767000123' } as never;
    expect(ok(normaliseMessage(m, own)).timestamp).toEqual(new Date(1_767_000_123_000));
  });

  it('reads E.164 phones out of phone JIDs, device suffix and all, and nothing out of others', () => {
    expect(phoneFromJid('919812345678:12@s.whatsapp.net')).toBe('+919812345678');
    expect(phoneFromJid('98765432101234@lid')).toBeUndefined();
    expect(phoneFromJid(GROUP)).toBeUndefined();
    expect(phoneFromJid(undefined)).toBeUndefined();
  });
});
