import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiTranscriber, TranscriptionError } from '../../src/agent/transcription.ts';
import { type FakeTranscriptions, startFakeTranscriptions } from '../fakes/openai-transcriptions.ts';

describe('OpenAI-compatible transcription', () => {
  let fake: FakeTranscriptions;
  beforeAll(async () => {
    fake = await startFakeTranscriptions();
  });
  afterAll(() => fake.close());

  it('posts the audio as a file named for its type, with the model, and returns the text', async () => {
    const transcriber = openAiTranscriber({
      baseURL: `${fake.baseURL}/`,
      apiKey: 'sk-test',
      model: 'whisper-1',
    });
    fake.answers.push('  Kal subah Sharma ji ko call karna hai \n');
    const audio = Buffer.from([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]);
    expect(await transcriber.transcribe(audio, 'audio/ogg; codecs=opus')).toBe(
      'Kal subah Sharma ji ko call karna hai',
    );
    expect(fake.requests.at(-1)).toEqual({
      authorization: 'Bearer sk-test',
      model: 'whisper-1',
      fileName: 'voice.ogg',
      fileType: 'audio/ogg',
      fileBytes: audio,
    });
  });

  it('fails with a TranscriptionError when the service does', async () => {
    const transcriber = openAiTranscriber({ baseURL: fake.baseURL, apiKey: 'sk-test', model: 'whisper-1' });
    fake.answers.push(500);
    await expect(transcriber.transcribe(Buffer.from('x'), 'audio/mp4')).rejects.toBeInstanceOf(
      TranscriptionError,
    );
    expect(fake.requests.at(-1)?.fileName).toBe('voice.m4a');
    const unreachable = openAiTranscriber({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm' });
    await expect(unreachable.transcribe(Buffer.from('x'), 'audio/ogg')).rejects.toThrow('unreachable');
  });
});
