import { render, screen, within } from '@testing-library/svelte';
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

describe('Presets', () => {
  it('Apply replaces model, system message and parameters', async () => {
    const { app, user } = await setup();
    app.open.session.params = { top_p: 0.3, max_tokens: 50 };
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'JSON output');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
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
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'Deterministic');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(app.open.session.params).toEqual({ temperature: 0, seed: 42 });
    expect(app.open.session.model).toBe('gpt-4');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'Mini JSON');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(app.open.session.model).toBe('gpt-4o-mini');
    expect(screen.getByRole('combobox', { name: 'Model' })).toHaveValue('gpt-4o-mini');
    expect(app.open.session.params).toEqual({ response_format: { type: 'json_object' } });
  });

  it('Save as… with a name already taken is refused with a message', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    const name = screen.getByRole('textbox', { name: 'Preset name' });
    await user.type(name, 'creative');
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'A preset named “Creative” already exists.',
    );
    expect(name).toHaveAttribute('aria-invalid', 'true');
    const select = screen.getByRole('combobox', { name: 'Preset' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Deterministic', 'Creative', 'JSON output']);

    await user.clear(name);
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Give the preset a name.');
  });

  it('built-ins cannot be renamed or deleted; your own can', async () => {
    const { user } = await setup();
    expect(screen.getByRole('button', { name: 'Rename' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByRole('textbox', { name: 'Preset name' }), 'Mine{Enter}');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const name = screen.getByRole('textbox', { name: 'Preset name' });
    await user.clear(name);
    await user.type(name, 'Renamed{Enter}');
    expect(screen.getByRole('option', { name: 'Renamed' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Delete preset' }));
    expect(screen.queryByRole('option', { name: 'Renamed' })).toBeNull();
    expect(presetStatus()).toHaveTextContent('Deleted “Renamed”.');
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
