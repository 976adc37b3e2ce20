import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { OfflineChatModel } from './offline/model.ts';

export interface ModelSettings {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_MODEL: string;
  OPENAI_TIMEOUT_MS: number;
  /** The fetch the client calls with (the residency policy's). */
  fetch?: typeof fetch;
}

export interface ChosenModel {
  model: BaseChatModel;
  /** Recorded on every turn, so a reply can be traced to what produced it. */
  name: string;
}

/**
 * An OpenAI-compatible model when a key is set (OpenAI, Azure, Ollama, vLLM via OPENAI_BASE_URL), else
 * offline. LangChain's OpenAI client is loaded only then: a process without a key does not pay for it.
 */
export async function chooseModel(s: ModelSettings): Promise<ChosenModel> {
  if (!s.OPENAI_API_KEY) return { model: new OfflineChatModel({}), name: 'offline' };
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({
    model: s.OPENAI_MODEL,
    apiKey: s.OPENAI_API_KEY,
    temperature: 0.2,
    timeout: s.OPENAI_TIMEOUT_MS,
    maxRetries: 2,
    configuration: {
      ...(s.OPENAI_BASE_URL ? { baseURL: s.OPENAI_BASE_URL } : {}),
      ...(s.fetch ? { fetch: s.fetch } : {}),
    },
  });
  return { model, name: s.OPENAI_MODEL };
}
