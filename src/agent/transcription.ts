import { z } from 'zod';

/** Speech to text through any OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI, Groq, a local Whisper). */

export interface Transcriber {
  transcribe(audio: Buffer, mimeType: string): Promise<string>;
}

export interface TranscriberSettings {
  /** The API root, as for chat: `https://api.openai.com/v1` unless OPENAI_BASE_URL says otherwise. */
  baseURL?: string | undefined;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  /** The fetch it calls with (the residency policy's). */
  fetch?: typeof fetch;
}

const transcriptionResponse = z.object({ text: z.string() });

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/wav': 'wav',
  'audio/webm': 'webm',
};

export class TranscriptionError extends Error {
  override name = 'TranscriptionError';
}

export function openAiTranscriber(settings: TranscriberSettings): Transcriber {
  const url = `${(settings.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/audio/transcriptions`;
  return {
    async transcribe(audio, mimeType) {
      const type = mimeType.split(';')[0]?.trim() || 'audio/ogg';
      const form = new FormData();
      // The API picks the decoder from the file name's extension, so it must match the audio.
      form.append('file', new Blob([new Uint8Array(audio)], { type }), `voice.${EXTENSIONS[type] ?? 'ogg'}`);
      form.append('model', settings.model);
      form.append('response_format', 'json');
      let res: Response;
      try {
        res = await (settings.fetch ?? fetch)(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${settings.apiKey}` },
          body: form,
          signal: AbortSignal.timeout(settings.timeoutMs ?? 60_000),
        });
      } catch (err) {
        throw new TranscriptionError(`transcription service unreachable: ${(err as Error).message}`);
      }
      if (!res.ok) throw new TranscriptionError(`transcription service answered ${res.status}`);
      const parsed = transcriptionResponse.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new TranscriptionError('transcription service answered without text');
      return parsed.data.text.trim();
    },
  };
}
