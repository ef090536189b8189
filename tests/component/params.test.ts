// The parameter panel as a user meets it: every parameter has a slider and a
// number box with one name, unset ones show the API default and stay out of the
// request, the keyboard steps, and a bad value says why and blocks Send.

import { flushSync } from 'svelte';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import ChatPane from '../../src/components/ChatPane.svelte';
import ParamsPanel from '../../src/components/params/ParamsPanel.svelte';
import { createConversation } from '../../src/lib/model/conversation';
import { PARAM_HELP } from '../../src/lib/model/param-help';
import { numericParam } from '../../src/lib/model/params';
import { toRequestBody } from '../../src/lib/model/request';
import type { Params } from '../../src/lib/model/types';
import { ChatSession } from '../../src/lib/state/chat-session.svelte';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

/** The panel, once all of it is drawn (it draws in steps, a task each). */
async function setup(params: Params = {}, model = 'gpt-4') {
  const session = new ChatSession(createConversation({ model, params }), {
    config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
    idleTimeoutMs: () => 60_000,
  });
  render(ParamsPanel, { session });
  await screen.findByRole('textbox', { name: 'User' });
  return { session, user: userEvent.setup() };
}

/** The stop sequences shown as tags, as displayed. */
const stopTags = () =>
  within(screen.getByRole('list', { name: 'Stop sequences' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent?.replace(/×$/, '').trim());

const body = (session: ChatSession) =>
  toRequestBody({ ...session.toConversation(), messages: [] }) as Record<string, unknown>;

const NAMES = [
  'Temperature',
  'Top P',
  'Frequency penalty',
  'Presence penalty',
  'Max tokens',
  'Seed',
  'Choices (n)',
  'Top logprobs',
];

describe('ParamsPanel', () => {
  it('draws the sampling controls at once and the rest in the next tasks', async () => {
    const session = new ChatSession(createConversation({ model: 'gpt-4' }), {
      config: () => ({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' }),
      idleTimeoutMs: () => 60_000,
    });
    render(ParamsPanel, { session });
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toBeInTheDocument();
    expect(screen.queryByRole('spinbutton', { name: 'Seed' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'User' })).toBeNull();
    expect(await screen.findByRole('spinbutton', { name: 'Seed' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'User' })).toBeInTheDocument();
  });

  it.each(NAMES)('%s has a slider and a number box with that same name', async (name) => {
    await setup();
    expect(screen.getByRole('slider', { name })).toHaveAttribute('type', 'range');
    expect(screen.getByRole('spinbutton', { name })).toHaveAttribute('type', 'number');
  });

  it('an unset parameter shows the API default and is not sent; setting it sends it', async () => {
    const { session, user } = await setup();
    const set = screen.getByRole('checkbox', { name: 'Set Temperature' });
    expect(set).not.toBeChecked();
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(1);
    expect(set.closest('.param')).toHaveTextContent('default 1');
    expect(session.params).not.toHaveProperty('temperature');
    expect(body(session)).not.toHaveProperty('temperature');

    await user.click(set);
    expect(session.params.temperature).toBe(1);
    expect(body(session).temperature).toBe(1);
    expect(set.closest('.param')).not.toHaveTextContent('default 1');

    // 0 is a real value, and unsetting takes it out again.
    await user.clear(screen.getByRole('spinbutton', { name: 'Temperature' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Temperature' }), '0');
    expect(body(session).temperature).toBe(0);
    await user.click(set);
    expect(session.params).not.toHaveProperty('temperature');
  });

  it('moving an unset slider sets the parameter', async () => {
    const { session, user } = await setup();
    screen.getByRole('slider', { name: 'Top P' }).focus();
    await user.keyboard('{ArrowDown}');
    expect(session.params.top_p).toBe(0.99);
    expect(screen.getByRole('checkbox', { name: 'Set Top P' })).toBeChecked();
    expect(screen.getByRole('spinbutton', { name: 'Top P' })).toHaveValue(0.99);
  });

  it('arrows step once, Shift+arrows ten times, on the number box and the slider', async () => {
    const { session, user } = await setup({ temperature: 0.5, max_tokens: 100 });
    screen.getByRole('spinbutton', { name: 'Temperature' }).focus();
    await user.keyboard('{Shift>}{ArrowUp}{/Shift}');
    expect(session.params.temperature).toBe(0.6);
    await user.keyboard('{ArrowDown}');
    expect(session.params.temperature).toBe(0.59);
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(0.59);

    screen.getByRole('slider', { name: 'Max tokens' }).focus();
    await user.keyboard('{Shift>}{ArrowUp}{/Shift}');
    expect(session.params.max_tokens).toBe(110);
    await user.keyboard('{Shift>}{ArrowLeft}{ArrowLeft}{/Shift}');
    expect(session.params.max_tokens).toBe(90);
  });

  it('a typed out-of-range value says why next to it and blocks sending', async () => {
    const { session, user } = await setup();
    session.draft = 'Hello';
    const box = screen.getByRole('spinbutton', { name: 'Temperature' });
    await user.clear(box);
    await user.type(box, '2.5');
    const reason = 'Temperature must be between 0 and 2 (got 2.5).';
    expect(box).toHaveAttribute('aria-invalid', 'true');
    // The reason first, then what the parameter does.
    expect(box).toHaveAccessibleDescription(`${reason} ${numericParam('temperature').help}`);
    expect(session.sendBlocker).toBe(`Not sent: ${reason}`);

    await user.clear(box);
    await user.type(box, '2');
    expect(box).not.toHaveAttribute('aria-invalid');
    expect(box).toHaveAccessibleDescription(numericParam('temperature').help);
    expect(session.sendBlocker).toBeNull();
  });

  it('an unset row says it is not sent; its slider rests on the default until moved', async () => {
    const { session, user } = await setup();
    const slider = screen.getByRole('slider', { name: 'Temperature' });
    expect(slider).toHaveAttribute('aria-valuetext', 'unset, default 1');
    expect(screen.getByRole('slider', { name: 'Max tokens' })).toHaveAttribute(
      'aria-valuetext',
      'unset, not sent',
    );
    expect(screen.getByRole('spinbutton', { name: 'Max tokens' })).toHaveValue(null);
    expect(
      screen.getByRole('checkbox', { name: 'Set Max tokens' }).closest('.param'),
    ).toHaveTextContent('not sent');

    await user.click(screen.getByRole('checkbox', { name: 'Set Temperature' }));
    expect(slider).toHaveAttribute('aria-valuetext', '1');
    expect(slider.closest('.param')).not.toHaveTextContent(/default|not sent/);
    expect(body(session).temperature).toBe(1);
  });

  it.each([
    ['Temperature', numericParam('temperature').help],
    ['Max tokens', numericParam('max_tokens').help],
    // No button but the abort button may be named "Stop".
    ['sequences to end at', PARAM_HELP.stop],
    ['Logit bias', PARAM_HELP.logit_bias],
    ['Response format', PARAM_HELP.response_format],
    ['User', PARAM_HELP.user],
  ])('%s has help behind an info button, by keyboard or touch', async (name, help) => {
    const { user } = await setup();
    const info = screen.getByRole('button', { name: `About ${name}` });
    expect(info).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText(help)).not.toBeVisible();
    info.focus();
    await user.keyboard('{Enter}');
    expect(info).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(help)).toBeVisible();
    expect(info).toHaveAttribute('aria-controls', screen.getByText(help).id);
    await user.click(info);
    expect(screen.getByText(help)).not.toBeVisible();
  });

  it('the help describes the controls, open or not', async () => {
    await setup();
    const help = numericParam('top_p').help;
    expect(screen.getByRole('slider', { name: 'Top P' })).toHaveAccessibleDescription(help);
    expect(screen.getByRole('spinbutton', { name: 'Top P' })).toHaveAccessibleDescription(help);
    expect(screen.getByRole('textbox', { name: 'User' })).toHaveAccessibleDescription(
      PARAM_HELP.user,
    );
    expect(screen.getByRole('checkbox', { name: 'Logprobs' })).toHaveAccessibleDescription(
      PARAM_HELP.logprobs,
    );
  });

  it('stop sequences are tags: escapes shown as typed, the real characters sent', async () => {
    const { session, user } = await setup({ stop: ['\n\n', 'a\\b'] });
    session.draft = 'Hi';
    expect(stopTags()).toEqual(['\\n\\n', 'a\\\\b']);

    const box = screen.getByRole('textbox', { name: 'Add a stop sequence' });
    // A lone backslash stays as typed while the escape is being written.
    await user.type(box, '\\');
    expect(box).toHaveValue('\\');
    await user.type(box, 'tEND{Enter}');
    expect(box).toHaveValue('');
    expect(stopTags()).toEqual(['\\n\\n', 'a\\\\b', '\\tEND']);
    expect(body(session).stop).toEqual(['\n\n', 'a\\b', '\tEND']);
    expect(session.sendBlocker).toBeNull();
  });

  it('Enter adds, an empty entry cannot be made, Backspace on the empty box removes the last', async () => {
    const { session, user } = await setup();
    const box = screen.getByRole('textbox', { name: 'Add a stop sequence' });
    await user.click(box);
    await user.keyboard('{Enter}');
    expect(session.params).not.toHaveProperty('stop');
    expect(screen.queryByRole('list', { name: 'Stop sequences' })).toBeNull();

    await user.keyboard('END{Enter}###{Enter}');
    expect(session.params.stop).toEqual(['END', '###']);
    // The same sequence twice is one sequence.
    await user.keyboard('END{Enter}');
    expect(session.params.stop).toEqual(['END', '###']);
    await user.keyboard('x{Backspace}');
    expect(session.params.stop).toEqual(['END', '###']);
    await user.keyboard('{Backspace}');
    expect(stopTags()).toEqual(['END']);
    await user.keyboard('{Backspace}{Backspace}');
    expect(session.params).not.toHaveProperty('stop');
    expect(box).toHaveFocus();
  });

  it('four at most; each tag has a remove button; leaving the box keeps what was typed', async () => {
    const { session, user } = await setup();
    const box = screen.getByRole('textbox', { name: 'Add a stop sequence' });
    await user.type(box, 'one{Enter}two{Enter}three{Enter}');
    // Typed and left without Enter: added, not silently dropped.
    await user.type(box, 'four');
    await user.tab();
    expect(session.params.stop).toEqual(['one', 'two', 'three', 'four']);
    expect(box).toHaveAttribute('readonly');
    expect(screen.getByText('At most 4: remove one to add another.')).toBeVisible();
    await user.type(box, 'five{Enter}');
    expect(session.params.stop).toHaveLength(4);

    await user.click(screen.getByRole('button', { name: 'Remove sequence “two”' }));
    expect(session.params.stop).toEqual(['one', 'three', 'four']);
    // The button went with its tag; focus stays in the editor.
    expect(box).toHaveFocus();
    expect(box).not.toHaveAttribute('readonly');
    for (const s of ['one', 'three', 'four']) {
      await user.click(screen.getByRole('button', { name: `Remove sequence “${s}”` }));
    }
    expect(session.params).not.toHaveProperty('stop');
  });

  it('an empty sequence from an older file is shown, blocks Send, and can be removed', async () => {
    const { session, user } = await setup({ stop: ['', 'x'] });
    session.draft = 'Hi';
    expect(stopTags()).toEqual(['(empty)', 'x']);
    expect(session.sendBlocker).toBe(
      'Not sent: Stop sequence 1 is empty; type the text to stop at or remove it.',
    );
    await user.click(screen.getByRole('button', { name: 'Remove sequence “”' }));
    expect(session.sendBlocker).toBeNull();
    expect(body(session).stop).toEqual(['x']);
  });

  it('reasoning effort is offered for reasoning models only, and Max tokens says its key', async () => {
    const { user } = await setup({ max_tokens: 500 }, 'o3-mini');
    expect(screen.getByText('Sent as max_completion_tokens.')).toBeInTheDocument();
    const effort = screen.getByRole('combobox', { name: 'Reasoning effort' });
    await user.selectOptions(effort, 'high');
    expect(effort).toHaveValue('high');
  });

  it('logprobs and top logprobs: top logprobs without logprobs is refused', async () => {
    const { session, user } = await setup({ top_logprobs: 5 });
    session.draft = 'Hi';
    expect(screen.getByRole('spinbutton', { name: 'Top logprobs' })).toHaveAccessibleDescription(
      /only works with logprobs turned on/,
    );
    expect(session.sendBlocker).toMatch(/^Not sent: Top logprobs only works/);
    await user.click(screen.getByRole('checkbox', { name: 'Logprobs' }));
    expect(session.sendBlocker).toBeNull();
    expect(body(session)).toMatchObject({ logprobs: true, top_logprobs: 5 });
  });

  it('logit bias rows add and remove token ids', async () => {
    const { session, user } = await setup({}, 'my-local-model');
    await user.type(screen.getByRole('textbox', { name: 'Token id' }), '50256');
    await user.clear(screen.getByRole('spinbutton', { name: 'Bias' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Bias' }), '25');
    await user.click(screen.getByRole('button', { name: 'Add bias' }));
    expect(body(session).logit_bias).toEqual({ 50256: 25 });
    await user.click(screen.getByRole('button', { name: 'Remove bias for token 50256' }));
    expect(body(session)).not.toHaveProperty('logit_bias');
  });
});

describe('with the composer', () => {
  it('Send is disabled with the reason shown while a parameter is out of range', async () => {
    const { session, user } = await setup();
    render(ChatPane, { session });
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello');
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send).toBeEnabled();

    const box = screen.getByRole('spinbutton', { name: 'Presence penalty' });
    await user.clear(box);
    await user.type(box, '-3');
    expect(send).toBeDisabled();
    expect(
      screen.getByText('Not sent: Presence penalty must be between -2 and 2 (got -3).'),
    ).toBeVisible();
  });
});

describe('Max tokens slider range', () => {
  it('spans the context window of the chosen model', async () => {
    const { session } = await setup({}, 'gpt-4');
    expect(screen.getByRole('slider', { name: 'Max tokens' })).toHaveAttribute('max', '8192');
    expect(screen.getByText(/Slider up to the 8,192-token context window of gpt-4/)).toBeVisible();
    session.model = 'gpt-4o';
    flushSync();
    expect(screen.getByRole('slider', { name: 'Max tokens' })).toHaveAttribute('max', '128000');
  });
});

describe('what a model family refuses (issue 17)', () => {
  it('a reasoning model: sampling values set are warned about, and still sent', async () => {
    const { session } = await setup({ temperature: 0.2, logprobs: true }, 'o3-mini');
    const temperature = screen.getByRole('spinbutton', { name: 'Temperature' });
    expect(temperature).toHaveAccessibleDescription(
      /o3-mini may refuse this: OpenAI's reasoning models \(o-series, GPT-5\) take only its default\./,
    );
    expect(screen.getAllByText(/may refuse this/)).toHaveLength(2);
    expect(toRequestBody(session.requestInput([])).temperature).toBe(0.2);
  });

  it('gpt-4, or a value not set, gets no warning', async () => {
    await setup({ temperature: 0.2, logprobs: true }, 'gpt-4');
    expect(screen.queryByText(/may refuse this/)).toBeNull();
  });
});
