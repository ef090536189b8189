// The key is bound to the origin of the base URL it was saved with: a request
// to any other origin waits for the user's "Send key", and nothing is sent
// before. Origins are compared as the browser does (new URL().origin).
import { describe, expect, it } from 'vitest';
import { AppSettings, type SettingsValues } from '../../src/lib/state/settings.svelte';
import { memorySettingsPort, settingsValues } from '../builders/settings';

const values = (apiKey: string, baseURL: string): SettingsValues =>
  settingsValues({ apiKey, baseURL });

const KEY = 'sk-proj-origin-0123456789';

describe('the key and its origin', () => {
  it('a key saved with a base URL goes there without a question', async () => {
    const settings = new AppSettings(memorySettingsPort().port);
    await settings.save(values(KEY, 'https://api.openai.com/v1'));
    expect(settings.keyOrigin).toBe('https://api.openai.com');
    expect(settings.keyOriginPending).toBeNull();
    expect(settings.confirmKeyOrigin()).toBe(true);
  });

  it('a base URL moved to a look-alike host asks first; Cancel keeps the key from it', async () => {
    const { port, stored } = memorySettingsPort();
    const settings = new AppSettings(port);
    await settings.save(values(KEY, 'https://api.openai.com/v1'));
    await settings.save(values(KEY, 'https://api.openai.com.evil.example/v1'));
    expect(settings.keyOriginPending).toBe('https://api.openai.com.evil.example');

    const first = settings.confirmKeyOrigin();
    const second = settings.confirmKeyOrigin(); // a compare pane asking at the same time
    expect(first).toBeInstanceOf(Promise);
    expect(settings.keyQuestion).toMatchObject({
      origin: 'https://api.openai.com.evil.example',
      savedFor: 'https://api.openai.com',
    });
    await settings.answerKeyQuestion(false);
    expect(await first).toBe(false);
    expect(await second).toBe(false);
    expect(settings.keyQuestion).toBeNull();
    expect(stored()?.keyOrigin).toBe('https://api.openai.com');
    // Asked again next time.
    expect(settings.confirmKeyOrigin()).toBeInstanceOf(Promise);
  });

  it('Send key binds the key to the new origin, for good', async () => {
    const { port, stored } = memorySettingsPort();
    const settings = new AppSettings(port);
    await settings.save(values(KEY, 'http://127.0.0.1:11434/v1'));
    await settings.save(values(KEY, 'http://localhost:11434/v1'));
    const answer = settings.confirmKeyOrigin();
    await settings.answerKeyQuestion(true);
    expect(await answer).toBe(true);
    expect(settings.keyOriginPending).toBeNull();
    expect(stored()?.keyOrigin).toBe('http://localhost:11434');
    const reloaded = new AppSettings(port);
    await reloaded.load();
    expect(reloaded.confirmKeyOrigin()).toBe(true);
  });

  it('a new key typed with a new base URL belongs to it', async () => {
    const settings = new AppSettings(memorySettingsPort().port);
    await settings.save(values(KEY, 'https://api.openai.com/v1'));
    await settings.save(values('sk-or-other-0123456789', 'https://openrouter.ai/api/v1'));
    expect(settings.keyOriginPending).toBeNull();
    expect(settings.keyOrigin).toBe('https://openrouter.ai');
  });
});
