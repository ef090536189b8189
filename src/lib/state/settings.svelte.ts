import { createContext } from 'svelte';
import type { ClientConfig } from '../api';
import { isDemoBaseUrl } from '../model/demo';
import { passphraseProblem } from '../model/key-lock';
import { fail, ok, type Result } from '../model/result';
import {
  checkApiKey,
  checkAutoLock,
  checkBaseUrl,
  checkStallTimeout,
  DEFAULT_BASE_URL,
  isLocalBaseUrl,
  originOf,
} from '../model/settings';
import { IdleTimer } from './idle-timer';
import { KeyVault, type KeyPort } from './key-vault.svelte';

export interface SettingsValues {
  apiKey: string;
  baseURL: string;
  organization: string;
  project: string;
  stallTimeoutSec: number;
  rememberKey: boolean;
  /** Seal the remembered key with a passphrase. */
  lockKey: boolean;
  /** A new passphrase to seal it with (never stored); empty keeps the current one. */
  passphrase: string;
  /** Minutes of no use before an unlocked key locks again; 0 never. */
  autoLockMin: number;
}

/** What is stored: the values but the key and passphrase, and the origin the key was saved for. */
export type StoredValues = Omit<SettingsValues, 'apiKey' | 'passphrase'> & { keyOrigin: string };

/** What the settings need from storage. */
export interface SettingsPort extends KeyPort {
  loadSettings(): Promise<StoredValues>;
  saveSettings(s: StoredValues): Promise<void>;
}

export type FieldErrors = Partial<Record<keyof SettingsValues, string>>;

/** What saving settings gives: the values as saved (trimmed, normalised), or an error per field. */
export type SettingsResult = Result<SettingsValues, FieldErrors>;

/**
 * Checks every field; returns the cleaned values or an error per field.
 * `holdsLock`: the key is unlocked with a passphrase already, which a save may
 * seal it with again (so the passphrase may be left empty).
 */
export function validateSettings(v: SettingsValues, holdsLock = false): SettingsResult {
  const errors: FieldErrors = {};
  const key = checkApiKey(v.apiKey);
  const url = checkBaseUrl(v.baseURL);
  const stall = checkStallTimeout(v.stallTimeoutSec);
  const autoLock = checkAutoLock(v.autoLockMin);
  if (!key.ok) errors.apiKey = key.error;
  if (!url.ok) errors.baseURL = url.error;
  if (!stall.ok) errors.stallTimeoutSec = stall.error;
  if (!autoLock.ok) errors.autoLockMin = autoLock.error;
  const sealing = v.rememberKey && v.lockKey && key.ok && key.value !== '';
  if (sealing && (v.passphrase !== '' || !holdsLock)) {
    const problem = passphraseProblem(v.passphrase);
    if (problem) errors.passphrase = problem;
  }
  if (Object.keys(errors).length > 0 || !key.ok || !url.ok || !stall.ok || !autoLock.ok) {
    return fail(errors);
  }
  return ok({
    ...v,
    apiKey: key.value,
    baseURL: url.value,
    stallTimeoutSec: stall.value,
    autoLockMin: autoLock.value,
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
  #lockKey = $state(false);
  #autoLockMin = $state(30);
  #dialogOpen = $state(false);
  #unlockOpen = $state(false);
  #firstRun = $state(false);
  /** The origin the key was saved for: anything else is asked about first. */
  #keyOrigin = $state('');
  #question = $state.raw<KeyQuestion | null>(null);
  #port: SettingsPort;
  #onChange: (config: ClientConfig) => void;
  readonly #vault: KeyVault;
  readonly #idle = new IdleTimer(() => this.lockKey());

  /** `onChange`: the endpoint or key changed (model lists follow). */
  constructor(port: SettingsPort, onChange: (config: ClientConfig) => void = () => {}) {
    this.#port = port;
    this.#onChange = onChange;
    this.#vault = new KeyVault(port);
  }

  /** Reads what was stored; with no usable key this is a first run. A locked key asks to be unlocked. */
  async load() {
    await this.#read();
    this.#firstRun = this.needsKey && !this.locked;
    this.#unlockOpen = this.locked;
  }

  async #read() {
    const s = await this.#port.loadSettings();
    this.#baseURL = s.baseURL;
    this.#organization = s.organization;
    this.#project = s.project;
    this.#stallTimeoutSec = s.stallTimeoutSec;
    this.#rememberKey = s.rememberKey;
    this.#lockKey = s.lockKey;
    this.#autoLockMin = s.autoLockMin;
    this.#apiKey = await this.#vault.read(s.rememberKey);
    if (this.#vault.locked) this.#idle.stop();
    // A key stored before keys had an origin belongs to the endpoint it was used with.
    this.#keyOrigin = s.keyOrigin || (this.#apiKey ? originOf(s.baseURL) : '');
  }

  #stored(): StoredValues {
    const { apiKey: _key, passphrase: _passphrase, ...rest } = this.values;
    return { ...rest, keyOrigin: this.#keyOrigin };
  }

  /**
   * The origin requests would now send the key to, when it is not the one the
   * key was saved for (the base URL moved); null when the key may go.
   */
  get keyOriginPending(): string | null {
    if (!this.#apiKey || !this.#keyOrigin || this.isDemo) return null;
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
  /** The stored key is sealed and not unlocked in this tab. */
  get locked() {
    return this.#vault.locked;
  }
  /** The stored key is sealed with a passphrase (locked or not). */
  get sealed() {
    return this.#vault.sealed;
  }
  /** A save may seal the key again without the passphrase (it is unlocked). */
  get holdsLock() {
    return this.#vault.holdsLock;
  }
  get unlockOpen() {
    return this.#unlockOpen;
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

  openUnlock() {
    this.#unlockOpen = true;
  }

  closeUnlock() {
    this.#unlockOpen = false;
  }

  /**
   * Unlocks the stored key for this tab: true when the passphrase opens it.
   * The model list follows, and the auto-lock starts counting.
   */
  async unlock(passphrase: string): Promise<boolean> {
    const key = await this.#vault.unlock(passphrase);
    if (key === undefined) return false;
    this.#apiKey = key;
    this.#unlockOpen = false;
    this.#idle.start(this.#autoLockMin * 60_000);
    if (!this.keyOriginPending) this.#onChange(this.config);
    return true;
  }

  /** Locks a sealed key now: it leaves this tab's memory until the passphrase is given again. */
  lockKey() {
    if (!this.#vault.sealed) return;
    this.#idle.stop();
    this.#vault.lock();
    this.#apiKey = '';
  }

  /** Use of the page (a key, a click, a scroll): the auto-lock counts from now. */
  touch() {
    this.#idle.touch();
  }

  /** Local servers (Ollama, LM Studio) work without a key. */
  get isLocal(): boolean {
    return isLocalBaseUrl(this.#baseURL);
  }

  /** The built-in demo, which answers in the page: no key, no network. */
  get isDemo(): boolean {
    return isDemoBaseUrl(this.#baseURL);
  }

  /** No key to send where one is needed; a locked key is always asked for, local server or not. */
  get needsKey(): boolean {
    if (this.isDemo) return false;
    return this.locked || (this.#apiKey === '' && !this.isLocal);
  }

  get values(): SettingsValues {
    return {
      apiKey: this.#apiKey,
      baseURL: this.#baseURL,
      organization: this.#organization,
      project: this.#project,
      stallTimeoutSec: this.#stallTimeoutSec,
      rememberKey: this.#rememberKey,
      lockKey: this.#lockKey,
      passphrase: '',
      autoLockMin: this.#autoLockMin,
    };
  }

  /** What requests go with: the demo is never handed the key. */
  get config(): ClientConfig {
    return {
      apiKey: this.isDemo ? '' : this.#apiKey,
      baseURL: this.#baseURL,
      organization: this.#organization,
      project: this.#project,
    };
  }

  /**
   * Validates, applies and stores. The key is kept in memory only when not
   * remembered, sealed when locked. While the stored key is locked and no new
   * key is typed, the stored key and how it is kept stay as they are.
   */
  async save(values: SettingsValues): Promise<SettingsResult> {
    const keepLocked = this.locked && values.apiKey.trim() === '';
    const checked = validateSettings(
      keepLocked ? { ...values, rememberKey: this.#rememberKey, lockKey: this.#lockKey } : values,
      this.holdsLock,
    );
    if (!checked.ok) return checked;
    const v = checked.value;
    // The demo takes no key: a new key saved while it is chosen is for OpenAI,
    // so a saved key always ends the demo.
    if (v.apiKey && v.apiKey !== this.#apiKey && isDemoBaseUrl(v.baseURL)) {
      v.baseURL = DEFAULT_BASE_URL;
    }
    const before = this.config;
    const keyBefore = this.#apiKey;
    this.#apiKey = v.apiKey;
    this.#baseURL = v.baseURL;
    this.#organization = v.organization;
    this.#project = v.project;
    this.#stallTimeoutSec = v.stallTimeoutSec;
    this.#rememberKey = v.rememberKey;
    this.#lockKey = v.lockKey;
    this.#autoLockMin = v.autoLockMin;
    this.#firstRun = false;
    // A key typed now is for the endpoint it is saved with; a key kept while
    // the base URL moves stays bound to its old origin until the user agrees
    // (the demo, which never gets it, included).
    if (v.apiKey !== keyBefore || (!this.#keyOrigin && !this.isDemo)) {
      this.#keyOrigin = v.apiKey ? originOf(v.baseURL) : '';
    }
    await this.#port.saveSettings(this.#stored());
    if (!keepLocked) {
      await this.#vault.keep(v.apiKey, {
        remember: v.rememberKey,
        lock: v.lockKey,
        passphrase: v.passphrase,
      });
      if (this.#vault.sealed) this.#idle.start(v.autoLockMin * 60_000);
      else this.#idle.stop();
    }
    const after = this.config;
    const changed = after.baseURL !== before.baseURL || after.apiKey !== before.apiKey;
    // Without a key a model list request would only earn a 401; with a key not
    // yet allowed to go there, the list waits for the first request's question.
    if (changed && !this.needsKey && !this.keyOriginPending) this.#onChange(after);
    return checked;
  }

  /** Forgets the key here and in storage, sealed or not (other tabs follow). */
  async forgetKey() {
    this.#apiKey = '';
    this.#idle.stop();
    this.#unlockOpen = false;
    await this.#vault.forget();
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
    if (settings.locked) settings.openUnlock();
    else settings.openDialog();
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
