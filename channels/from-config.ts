import type { RequestHandler } from 'express';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/types.ts';
import type { Notifier } from '../src/domain/notifier.ts';
import type { Logger } from '../src/log.ts';
import type { Pipeline } from './pipeline/pipeline.ts';
import type { WhatsAppSetup } from './whatsapp/from-config.ts';

/**
 * The chat channels the settings turn on, built and registered with the pipeline (which starts them).
 * Each is loaded only when on: grammY and Baileys cost memory and start-up time a process without them
 * should not pay.
 */

export interface ConfiguredChannels {
  whatsapp: WhatsAppSetup | undefined;
  /** Routes the channels need on the app (Telegram's webhook), outside the API. */
  webhooks: { path: string; handlers: RequestHandler[] }[];
}

export interface ChannelDeps {
  db: Db;
  logger: Logger;
  pipeline: Pipeline;
  /** Read later, when WhatsApp reports a logout, to tell the owner on their other channel. */
  notifier: () => Notifier;
}

export async function channelsFromConfig(config: Config, deps: ChannelDeps): Promise<ConfiguredChannels> {
  const webhooks: ConfiguredChannels['webhooks'] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChannel, TELEGRAM_WEBHOOK_PATH } = await import('./telegram/telegram-channel.ts');
    const telegram = createTelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      log: deps.logger,
    });
    deps.pipeline.register(telegram);
    if (telegram.webhook) webhooks.push({ path: TELEGRAM_WEBHOOK_PATH, handlers: telegram.webhook });
  }
  let whatsapp: WhatsAppSetup | undefined;
  if (config.WHATSAPP_ENABLED) {
    const { whatsappFromConfig } = await import('./whatsapp/from-config.ts');
    whatsapp = whatsappFromConfig(config, deps.db, deps.logger, deps.notifier);
    deps.pipeline.register(whatsapp.channel);
  }
  return { whatsapp, webhooks };
}
