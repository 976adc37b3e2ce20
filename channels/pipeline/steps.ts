import { hasChart, renderChart } from '../../src/agent/charts.ts';
import type { TurnResult, TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';
import { type Identity, type IdentitySettings, resolveSender } from '../../src/domain/channels/identity.ts';
import {
  type ChatKey,
  type InboundFile,
  type PendingInbound,
  setLinkConversation,
} from '../../src/domain/channels/repo.ts';
import { MetricAnswer } from '../../src/domain/insights/query.ts';
import type { Principal } from '../../src/domain/tenants.ts';
import type { ChannelName } from '../channel.ts';
import * as say from './replies.ts';

/**
 * The steps a batch of one chat's messages goes through, composed like grammY middleware: each step does
 * its part and calls `next()`, or answers and stops. identify → documents → commands → text only → turn. (Whether a
 * group message is for us at all is decided before it is recorded: `textForUs` in inbound.ts.)
 */

export interface Batch {
  key: ChatKey & { channel: ChannelName };
  messages: PendingInbound[];
  /** The text the turn will see: the batch's messages, one per line. */
  text: string;
  identity?: Identity;
  reply?: { text: string; requestPhone?: boolean; image?: Buffer };
  turnId: string | null;
}

export type Step = (batch: Batch, next: () => Promise<void>) => Promise<void>;

export function compose(steps: Step[]): (batch: Batch) => Promise<void> {
  return (batch) => {
    const at = (i: number): Promise<void> => {
      const step = steps[i];
      return step ? step(batch, () => at(i + 1)) : Promise.resolve();
    };
    return at(0);
  };
}

/** Sender → user. Strangers get a link or sign-up answer and nothing else: never anyone's data. */
export function identify(db: Db, settings: IdentitySettings): Step {
  return async (batch, next) => {
    const first = batch.messages[0];
    if (!first) return;
    const verifiedPhone = batch.messages.find((m) => m.senderPhone)?.senderPhone ?? null;
    const identity = await resolveSender(
      db,
      { ...batch.key, senderId: first.senderId, verifiedPhone },
      settings,
    );
    batch.identity = identity;
    if (identity.kind === 'unknown') {
      batch.reply =
        identity.reason === 'no_phone'
          ? { text: say.LINK_PROMPT, requestPhone: true }
          : { text: say.SIGNUP_CLOSED };
      return;
    }
    const sharedContactOnly = batch.messages.every((m) => m.media === 'contact' && !m.text.trim());
    if (identity.kind === 'linked' && sharedContactOnly) {
      batch.reply = { text: identity.signedUp ? say.WELCOME_NEW : say.LINKED };
      return;
    }
    if (sharedContactOnly) {
      batch.reply = { text: say.ALREADY_LINKED };
      return;
    }
    await next();
    if (identity.kind === 'linked' && identity.signedUp && batch.reply) {
      batch.reply.text = `${say.WELCOME_NEW}\n\n${batch.reply.text}`;
    }
  };
}

/** Bot commands: answered here, or rewritten into the words the Digital Employee understands. */
const COMMAND_TEXT: Record<string, string> = {
  myday: "what's my day",
  tasks: 'show my open tasks',
};

export const commands: Step = async (batch, next) => {
  const match = /^\/([a-z]+)(?:@\S+)?\s*$/i.exec(batch.text.trim());
  const command = match?.[1]?.toLowerCase();
  if (command === 'start') {
    batch.reply = { text: say.ALREADY_LINKED };
    return;
  }
  if (command === 'help') {
    batch.reply = { text: say.HELP };
    return;
  }
  const rewritten = command ? COMMAND_TEXT[command] : undefined;
  if (rewritten) batch.text = rewritten;
  await next();
};

/** What the Digital Employee does with a document a user sent (imports a bank statement): its answer. */
export type DocumentHandler = (
  principal: Principal,
  file: InboundFile,
  channel: ChannelName,
) => Promise<string>;

/**
 * Documents go to their handler; what else the batch says goes on to the turn, and the handler's answers
 * come first in the reply.
 */
export function documents(handle: DocumentHandler | undefined): Step {
  return async (batch, next) => {
    const identity = batch.identity;
    const files = batch.messages.flatMap((m) => (m.file ? [m.file] : []));
    if (!handle || files.length === 0 || !identity || identity.kind === 'unknown') return next();
    const answers: string[] = [];
    for (const file of files) answers.push(await handle(identity.principal, file, batch.key.channel));
    batch.text = batch.messages
      .filter((m) => !m.file)
      .map((m) => m.text)
      .join('\n')
      .trim();
    if (!batch.text) {
      batch.reply = { text: answers.join('\n\n') };
      return;
    }
    await next();
    if (batch.reply) batch.reply.text = `${answers.join('\n\n')}\n\n${batch.reply.text}`;
  };
}

/** Voice notes, photos and files without text get a clear answer instead of a confused turn. */
export const textOnly: Step = async (batch, next) => {
  if (!batch.text.trim()) {
    batch.reply = { text: say.TEXT_ONLY };
    return;
  }
  await next();
};

/** The Digital Employee's turn, on the chat's own conversation so history carries over. */
export function turn(db: Db, runTurn: TurnRunner): Step {
  return async (batch) => {
    const identity = batch.identity;
    if (!identity || identity.kind === 'unknown') return;
    const result = await runTurn({
      principal: identity.principal,
      channel: batch.key.channel,
      message: batch.text,
      conversationId: identity.link.conversationId ?? undefined,
    });
    if (result.conversation_id !== identity.link.conversationId) {
      await setLinkConversation(db, identity.link, result.conversation_id);
    }
    batch.turnId = result.turn_id;
    const image = await chartOf(result.actions);
    batch.reply = { text: result.reply, ...(image ? { image } : {}) };
  };
}

/** The chart of a business answer with something to draw (a ranking, a series, a comparison), if any. */
async function chartOf(actions: TurnResult['actions']): Promise<Buffer | undefined> {
  const asked = actions.findLast((a) => a.tool === 'query_business_data');
  const answer = MetricAnswer.safeParse(asked?.result);
  return answer.success && hasChart(answer.data) ? renderChart(answer.data) : undefined;
}
