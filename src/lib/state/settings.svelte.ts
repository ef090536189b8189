import { createContext } from 'svelte';
import type { ClientConfig } from '../api';
import { fail, ok, type Result } from '../model/result';
import {
  checkApiKey,
  checkBaseUrl,
  checkStallTimeout,
  DEFAULT_BASE_URL,
  isLocalBaseUrl,
  originOf,
} from '../model/settings';

export interface SettingsValues {
  apiKey: string;
  baseURL: string;
  organization: string;
  project: string;
  stallTimeoutSec: number;
  rememberKey: boolean;
}

/** What the settings need from storage. */
/** What is stored: the values but the key, and the origin the key was saved for. */
export type StoredValues = Omit<SettingsValues, 'apiKey'> & { keyOrigin: string };

export interface SettingsPort {
  loadSettings(): Promise<StoredValues>;
  saveSettings(s: StoredValues): Promise<void>;
  loadApiKey(): Promise<string | undefined>;
  saveApiKey(key: string): Promise<void>;
  forgetApiKey(): Promise<void>;
}

export type FieldErrors = Partial<Record<keyof SettingsValues, string>>;

/** What saving settings gives: the values as saved (trimmed, normalised), or an error per field. */
export type SettingsResult = Result<SettingsValues, FieldErrors>;

/** Checks every field; returns the cleaned values or an error per field. */
export function validateSettings(v: SettingsValues): SettingsResult {
  const errors: FieldErrors = {};
  const key = checkApiKey(v.apiKey);
  const url = checkBaseUrl(v.baseURL);
  const stall = checkStallTimeout(v.stallTimeoutSec);
  if (!key.ok) errors.apiKey = key.error;
  if (!url.ok) errors.baseURL = url.error;
  if (!stall.ok) errors.stallTimeoutSec = stall.error;
  if (!key.ok || !url.ok || !stall.ok) return fail(errors);
  return ok({
    ...v,
    apiKey: key.value,
    baseURL: url.value,
    stallTimeoutSec: stall.value,
    organization: v.organization.trim(),
    project: v.project.trim(),
  });
}

/**
 * The endpoint, the key and how long a stream may stall; stored through the
 * port (the key only when remembered). Also whether the Settings dialog is
 * open, since any error that a setting fixes offers to open it.
 */
export class AppSettings {
  #apiKey = $state('');
  #baseURL = $state(DEFAULT_BASE_URL);
  #organization = $state('');
  #project = $state('');
  #stallTimeoutSec = $state(60);
  #rememberKey = $state(false);
  #dialogOpen = $state(false);
  #firstRun = $state(false);
  /** The origin the key was saved for: anything else is asked about first. */
  #keyOrigin = $state('');
  #question = $state.raw<KeyQuestion | null>(null);
  #port: SettingsPort;
  #onChange: (config: ClientConfig) => void;

  /** `onChange`: the endpoint or key changed (model lists follow). */
  constructor(port: SettingsPort, onChange: (config: ClientConfig) => void = () => {}) {
    this.#port = port;
    this.#onChange = onChange;
  }

  /** Reads what was stored; with no usable key this is a first run. */
  async load() {
    await this.#read();
    this.#firstRun = this.needsKey;
  }

  async #read() {
    const s = await this.#port.loadSettings();
    this.#baseURL = s.baseURL;
    this.#organization = s.organization;
    this.#project = s.project;
    this.#stallTimeoutSec = s.stallTimeoutSec;
    this.#rememberKey = s.rememberKey;
    this.#apiKey = (s.rememberKey && (await this.#port.loadApiKey())) || '';
    // A key stored before keys had an origin belongs to the endpoint it was used with.
    this.#keyOrigin = s.keyOrigin || (this.#apiKey ? originOf(s.baseURL) : '');
  }

  #stored(): StoredValues {
    const { apiKey: _key, ...rest } = this.values;
    return { ...rest, keyOrigin: this.#keyOrigin };
  }

  /**
   * The origin requests would now send the key to, when it is not the one the
   * key was saved for (the base URL moved); null when the key may go.
   */
  get keyOriginPending(): string | null {
    if (!this.#apiKey || !this.#keyOrigin) return null;
    const origin = originOf(this.#baseURL);
    return origin !== this.#keyOrigin ? origin : null;
  }

  get keyOrigin(): string {
    return this.#keyOrigin;
  }

  /** The question being asked ("Send key to …?"), while it is. */
  get keyQuestion(): KeyQuestion | null {
    return this.#question;
  }

  /**
   * Before anything is sent with the key: resolves true when it may go to the
   * base URL's origin, asking first (one question for every waiting request)
   * when that is not the origin it was saved for. Nothing is sent before.
   */
  confirmKeyOrigin(): true | Promise<boolean> {
    const origin = this.keyOriginPending;
    if (!origin) return true;
    if (this.#question?.origin === origin) return this.#question.answer;
    let settle!: (send: boolean) => void;
    const answer = new Promise<boolean>((r) => (settle = r));
    this.#question = { origin, savedFor: this.#keyOrigin, answer, settle };
    return answer;
  }

  /** The user's answer: Send key binds the key to the new origin. */
  async answerKeyQuestion(send: boolean) {
    const q = this.#question;
    if (!q) return;
    this.#question = null;
    if (send) {
      this.#keyOrigin = q.origin;
      await this.#port.saveSettings(this.#stored());
    }
    q.settle(send);
  }

  /**
   * Another tab changed the settings or the key: take what is stored now. A
   * key kept only in this tab's memory goes too when the stored one is gone
   * (a key forgotten in one tab is forgotten in all).
   */
  async reload() {
    const before = this.config;
    await this.#read();
    const after = this.config;
    const changed = after.baseURL !== before.baseURL || after.apiKey !== before.apiKey;
    if (changed && !this.needsKey) this.#onChange(after);
  }

  get apiKey() {
    return this.#apiKey;
  }
  get baseURL() {
    return this.#baseURL;
  }
  get stallTimeoutSec() {
    return this.#stallTimeoutSec;
  }
  get dialogOpen() {
    return this.#dialogOpen;
  }
  /** True until the user has saved settings once with no key stored. */
  get firstRun() {
    return this.#firstRun;
  }

  openDialog() {
    this.#dialogOpen = true;
  }

  closeDialog() {
    this.#dialogOpen = false;
  }

  /** Local servers (Ollama, LM Studio) work without a key. */
  get isLocal(): boolean {
    return isLocalBaseUrl(this.#baseURL);
  }

  get needsKey(): boolean {
    return this.#apiKey === '' && !this.isLocal;
  }

  get values(): SettingsValues {
    return {
      apiKey: this.#apiKey,
      baseURL: this.#baseURL,
      organization: this.#organization,
      project: this.#project,
      stallTimeoutSec: this.#stallTimeoutSec,
      rememberKey: this.#rememberKey,
    };
  }

  get config(): ClientConfig {
    return {
      apiKey: this.#apiKey,
      baseURL: this.#baseURL,
      organization: this.#organization,
      project: this.#project,
    };
  }

  /** Validates, applies and stores. The key is kept in memory only when not remembered. */
  async save(values: SettingsValues): Promise<SettingsResult> {
    const checked = validateSettings(values);
    if (!checked.ok) return checked;
    const v = checked.value;
    const before = this.config;
    this.#apiKey = v.apiKey;
    this.#baseURL = v.baseURL;
    this.#organization = v.organization;
    this.#project = v.project;
    this.#stallTimeoutSec = v.stallTimeoutSec;
    this.#rememberKey = v.rememberKey;
    this.#firstRun = false;
    // A key typed now is for the endpoint it is saved with; a key kept while
    // the base URL moves stays bound to its old origin until the user agrees.
    if (v.apiKey !== before.apiKey || !this.#keyOrigin) {
      this.#keyOrigin = v.apiKey ? originOf(v.baseURL) : '';
    }
    await this.#port.saveSettings(this.#stored());
    if (v.rememberKey && v.apiKey) await this.#port.saveApiKey(v.apiKey);
    else await this.#port.forgetApiKey();
    const after = this.config;
    const changed = after.baseURL !== before.baseURL || after.apiKey !== before.apiKey;
    // Without a key a model list request would only earn a 401; with a key not
    // yet allowed to go there, the list waits for the first request's question.
    if (changed && !this.needsKey && !this.keyOriginPending) this.#onChange(after);
    return checked;
  }

  async forgetKey() {
    this.#apiKey = '';
    await this.#port.forgetApiKey();
  }
}

/** "Send key to <origin>?", asked before the key goes to an origin it was not saved for. */
export interface KeyQuestion {
  origin: string;
  savedFor: string;
  answer: Promise<boolean>;
  settle: (send: boolean) => void;
}

const [getSettings, setSettings, hasSettings] = createContext<AppSettings>();
export { getSettings, setSettings };

/**
 * Before a Send: true when there is no key for an endpoint that needs one, and
 * the Settings dialog has been opened to ask for it (the draft stays). Absent
 * where there are no settings (a component rendered on its own).
 */
export function keyGate(): (() => boolean) | undefined {
  if (!hasSettings()) return undefined;
  const settings = getSettings();
  return () => {
    if (!settings.needsKey) return false;
    settings.openDialog();
    return true;
  };
}

/** Opens the Settings dialog, where there is one (a component rendered on its own has none). */
export function settingsOpener(): (() => void) | undefined {
  if (!hasSettings()) return undefined;
  const settings = getSettings();
  return () => settings.openDialog();
}

/**
 * What no artefact may show or hold (the API key), for views and links that
 * build text themselves; none where there are no settings.
 */
export function secretsOf(): () => string[] {
  if (!hasSettings()) return () => [];
  const settings = getSettings();
  return () => (settings.apiKey ? [settings.apiKey] : []);
}
