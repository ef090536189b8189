import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'svelte';
import { beforeAll, describe, expect, it } from 'vitest';
import ChatPane from '../../src/components/ChatPane.svelte';
import ParamsColumn from '../../src/components/shell/ParamsColumn.svelte';
import MessageView from '../../src/components/MessageView.svelte';
import type { ToolsConfig } from '../../src/lib/model/types';
import { PresetsState } from '../../src/lib/state/presets.svelte';
import { renderWithApp } from './helpers/context';
import { createKv, Store, type KvBackend } from '../../src/lib/store';

/** The Presets region's own note (the page has other live regions). */
const presetStatus = () =>
  within(screen.getByRole('region', { name: 'Presets' })).getByRole('status');

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

function memoryBackend(): KvBackend {
  const data = new Map<string, unknown>();
  return {
    get: async (k) => structuredClone(data.get(k)),
    set: async (k, v) => void data.set(k, structuredClone(v)),
    del: async (k) => void data.delete(k),
    keys: async () => [...data.keys()],
  };
}

/** The parameters column of a whole app over memory storage. */
async function setup() {
  const { app } = await renderWithApp(ParamsColumn, { wide: false, onWide: () => {} });
  return { app, user: userEvent.setup() };
}

/** The menu button: named "Preset: " and what it shows. */
const presetButton = () => screen.getByRole('button', { name: /^Preset:/ });

/** Opens the preset menu and picks `name` (a preset, or an action such as Rename). */
async function pick(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(presetButton());
  await user.click(within(screen.getByRole('menu')).getByRole('menuitem', { name }));
}

describe('Presets', () => {
  it('Apply replaces model, system message and parameters', async () => {
    const { app, user } = await setup();
    app.open.session.params = { top_p: 0.3, max_tokens: 50 };
    await pick(user, 'JSON output');
    expect(app.open.session.params).toEqual({ response_format: { type: 'json_object' } });
    expect(app.open.session.systemMessage).toBe(
      'Reply with one valid JSON object and nothing else.',
    );
    expect(presetStatus()).toHaveTextContent('Applied “JSON output”.');

    // A preset of one's own brings its model back too.
    app.open.session.model = 'gpt-4o-mini';
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByRole('textbox', { name: 'Preset name' }), 'Mini JSON');
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    expect(presetStatus()).toHaveTextContent('Saved “Mini JSON”.');

    app.open.session.model = 'gpt-4';
    await pick(user, 'Deterministic');
    expect(app.open.session.params).toEqual({ temperature: 0, seed: 42 });
    expect(app.open.session.model).toBe('gpt-4');

    await pick(user, 'Mini JSON');
    expect(app.open.session.model).toBe('gpt-4o-mini');
    expect(screen.getByRole('combobox', { name: 'Model' })).toHaveValue('gpt-4o-mini');
    expect(app.open.session.params).toEqual({ response_format: { type: 'json_object' } });
  });

  it('shows no preset as applied until one is, then its name, and says when it was edited', async () => {
    const { app, user } = await setup();
    expect(presetButton()).toHaveAccessibleName('Preset: Load a preset…');
    await pick(user, 'Creative');
    expect(presetButton()).toHaveAccessibleName('Preset: Creative');
    app.open.session.params = { ...app.open.session.params, temperature: 0.7 };
    await waitFor(() => expect(presetButton()).toHaveAccessibleName('Preset: Creative (edited)'));
    // Put back as the preset set it, it is that preset again.
    app.open.session.params = { temperature: 1.2, top_p: 0.95 };
    await waitFor(() => expect(presetButton()).toHaveAccessibleName('Preset: Creative'));
    // Another conversation has had nothing applied.
    await app.library.create();
    await waitFor(() => expect(presetButton()).toHaveAccessibleName('Preset: Load a preset…'));
  });

  it('the menu is operated by keyboard like the Export menu', async () => {
    const { app, user } = await setup();
    presetButton().focus();
    await user.keyboard('{ArrowDown}');
    const menu = screen.getByRole('menu');
    expect(presetButton()).toHaveAttribute('aria-expanded', 'true');
    expect(within(menu).getByRole('menuitem', { name: 'Deterministic' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Creative' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(within(menu).getByRole('menuitem', { name: 'JSON output' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Deterministic' })).toHaveFocus();
    await user.keyboard('c');
    expect(within(menu).getByRole('menuitem', { name: 'Creative' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(presetButton()).toHaveFocus();
    expect(app.open.session.params).toEqual({});

    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'JSON output' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{Enter}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(presetButton()).toHaveFocus();
    expect(app.open.session.params).toEqual({ temperature: 1.2, top_p: 0.95 });
  });

  it('Save as… with a name already taken is refused with a message', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    const name = screen.getByRole('textbox', { name: 'Preset name' });
    expect(name).toHaveFocus();
    await user.type(name, 'creative');
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'A preset named “Creative” already exists.',
    );
    expect(name).toHaveAttribute('aria-invalid', 'true');
    await user.click(presetButton());
    expect(
      within(screen.getByRole('menu'))
        .getAllByRole('menuitem')
        .map((o) => o.textContent),
    ).toEqual(['Deterministic', 'Creative', 'JSON output']);
    await user.keyboard('{Escape}');

    await user.clear(name);
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Give the preset a name.');
  });

  it('built-ins cannot be renamed or deleted; your own can', async () => {
    const { user } = await setup();
    await pick(user, 'Deterministic');
    await user.click(presetButton());
    expect(screen.queryByRole('menuitem', { name: /^(Rename|Delete)/ })).toBeNull();
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByRole('textbox', { name: 'Preset name' }), 'Mine{Enter}');
    // Saved is applied: one's own preset can be renamed from the menu.
    expect(presetButton()).toHaveAccessibleName('Preset: Mine');
    await pick(user, 'Rename “Mine”…');
    const name = screen.getByRole('textbox', { name: 'Preset name' });
    expect(name).toHaveValue('Mine');
    await user.clear(name);
    await user.type(name, 'Renamed{Enter}');
    expect(presetStatus()).toHaveTextContent('Renamed to “Renamed”.');
    // Focus goes back where it was when the form opened, never to the page.
    expect(presetButton()).toHaveFocus();
    await user.click(presetButton());
    expect(screen.getByRole('menuitem', { name: 'Renamed' })).toBeInTheDocument();
    await user.keyboard('{Escape}');

    // Another preset applied: yours can be renamed or deleted only once loaded.
    await pick(user, 'Creative');
    await user.click(presetButton());
    expect(screen.getByRole('menuitem', { name: /Load one of yours/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await user.click(screen.getByRole('menuitem', { name: 'Renamed' }));
    await pick(user, 'Delete “Renamed”…');
    await user.click(screen.getByRole('button', { name: 'Delete preset' }));
    await user.click(presetButton());
    expect(screen.queryByRole('menuitem', { name: 'Renamed' })).toBeNull();
    expect(presetStatus()).toHaveTextContent('Deleted “Renamed”.');
    expect(presetButton()).toHaveAccessibleName('Preset: Load a preset…');
  });
});

describe('token count and cost', () => {
  it('shows the estimated prompt size as the draft is typed', async () => {
    await renderWithApp<ComponentProps<typeof ChatPane>>(ChatPane, (app) => ({
      session: app.open.session,
    }));
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello, world!');
    // gpt-4 (cl100k_base): 3 priming + 3 framing + 1 "user" + 4 text tokens
    expect(await screen.findByText(/≈ 11 prompt tokens \(estimated\)/)).toBeVisible();
    expect(screen.getByText(/context 8,192/)).toBeVisible();
    expect(screen.getByText(/8,181 left for the answer/)).toBeVisible();
    expect(screen.getByText(/≈ \$0\.00033 estimated input cost/)).toBeVisible();
  });

  it('prices an answer from its reported usage, cached tokens at the cached rate', () => {
    render(MessageView, {
      message: {
        id: 'a1',
        role: 'assistant',
        content: 'Hi',
        status: 'done',
        model: 'gpt-4o-2024-08-06',
        usage: { prompt: 1000, completion: 500, total: 1500, cachedPrompt: 600 },
      },
      onEdit: () => {},
      onDelete: () => {},
      onRegenerate: () => {},
    });
    // 400 × $2.50 + 600 × $1.25 + 500 × $10 per 1M
    expect(screen.getByText('$0.0068')).toBeVisible();
  });

  it('says there is no price rather than inventing one', () => {
    render(MessageView, {
      message: {
        id: 'a1',
        role: 'assistant',
        content: 'Hi',
        status: 'done',
        model: 'llama3.1:8b',
        usage: { prompt: 10, completion: 5, total: 15 },
      },
      onEdit: () => {},
      onDelete: () => {},
      onRegenerate: () => {},
    });
    expect(screen.getByText('no price for llama3.1:8b')).toBeVisible();
    expect(screen.queryByText(/\$/)).toBeNull();
  });
});

describe('presets and tools', () => {
  it('a saved preset carries the Tools region; applying it restores it, a built-in leaves it alone', async () => {
    const store = new Store(createKv({ backend: memoryBackend() }));
    const presets = new PresetsState(store);
    const tools: ToolsConfig = {
      json: '[{"name":"get_weather"}]',
      format: 'functions',
      choice: { name: 'get_weather' },
    };
    const source = { model: 'gpt-3.5-turbo-0613', systemMessage: '', params: {}, tools };
    const saved = await presets.saveAs('Legacy weather', source);
    expect(saved.ok && saved.value.tools).toEqual(tools);

    const target = {
      model: 'gpt-4o',
      systemMessage: '',
      params: {},
      tools: { json: '', format: 'tools' } as ToolsConfig,
    };
    presets.apply(target, 'builtin:deterministic');
    expect(target.tools).toEqual({ json: '', format: 'tools' });
    presets.apply(target, saved.ok ? saved.value.id : '');
    expect(target.tools).toEqual(tools);
    expect(target.tools).not.toBe(tools); // a copy, never shared

    // Stored and read back through the same checks as any record.
    const reloaded = new PresetsState(store);
    await reloaded.load();
    expect(reloaded.all.find((p) => p.name === 'Legacy weather')?.tools).toEqual(tools);
  });

  it('no tools, no tools in the preset', async () => {
    const presets = new PresetsState(new Store(createKv({ backend: memoryBackend() })));
    const blank = {
      model: 'm',
      systemMessage: '',
      params: {},
      tools: { json: ' ', format: 'tools' as const },
    };
    const saved = await presets.saveAs('Plain', blank);
    expect(saved.ok && 'tools' in saved.value).toBe(false);
  });
});
