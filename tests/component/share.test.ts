import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { CompressionStream, DecompressionStream } from 'node:stream/web';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import ShareDialog from '../../src/components/share/ShareDialog.svelte';
import SharedView from '../../src/components/share/SharedView.svelte';
import { SHARE_PREFIX, decodeShare } from '../../src/lib/model/share';
import type { Conversation, Message } from '../../src/lib/model/types';
import { conversation } from '../builders/conversations';
import { loadRenderer } from '../../src/lib/render';
import { markdownRendered } from './helpers/markdown';

// Answers are shown rendered: the renderer has loaded (render-lazy.test.ts covers
// before), and each test waits for its few blocks (rendering goes in slices).
beforeAll(() => loadRenderer());

const PAGE = 'https://example.github.io/parley/';

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods, and may hide Node's compression streams.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  const g = globalThis as Record<string, unknown>;
  g.CompressionStream ??= CompressionStream;
  g.DecompressionStream ??= DecompressionStream;
});

afterEach(() => {
  vi.useRealTimers();
  delete (window as unknown as Record<string, unknown>).__pwned;
});

const conversationWith = (messages: Message[], more: Partial<Conversation> = {}) =>
  conversation({ title: 'Solar system', messages, ...more });

const chat: Message[] = [
  { id: 'u1', role: 'user', content: 'How many planets? 🪐' },
  {
    id: 'a1',
    role: 'assistant',
    content: 'There are **eight** planets.',
    status: 'done',
    finishReason: 'stop',
    usage: { prompt: 12, completion: 7, total: 19 },
  },
];

function openDialog(conversation: Conversation | null, opts: { pageUrl?: string } = {}) {
  const pageUrl = 'pageUrl' in opts ? opts.pageUrl : PAGE;
  const onClose = vi.fn();
  const onExportFile = vi.fn();
  const view = render(ShareDialog, { open: true, conversation, pageUrl, onClose, onExportFile });
  return { ...view, onClose, onExportFile };
}

/** Random text that deflate cannot shrink much. */
function incompressible(chars: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(chars);
  // getRandomValues fills at most 65,536 bytes at a time.
  for (let at = 0; at < chars; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  }
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

describe('ShareDialog', () => {
  it('is a dialog named Share link whose link decodes back to the same messages', async () => {
    openDialog(conversationWith(chat));
    const dialog = screen.getByRole('dialog', { name: 'Share link' });
    const link = await within(dialog).findByRole('textbox', { name: 'Link' });
    const value = (link as HTMLInputElement).value;
    expect(link).toHaveAttribute('readonly');
    expect(value.startsWith(`${PAGE}${SHARE_PREFIX}`)).toBe(true);

    const decoded = await decodeShare(value.slice(PAGE.length));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.value.title).toBe('Solar system');
    expect(decoded.value.messages.map((m) => [m.role, m.content])).toEqual(
      chat.map((m) => [m.role, m.content]),
    );
    expect(decoded.value.messages[1]?.usage).toEqual({
      prompt: 12,
      completion: 7,
      total: 19,
    });
  });

  it('says it is making the link until the link is ready', async () => {
    openDialog(conversationWith(chat));
    expect(screen.getByText('Making the link…')).toBeInTheDocument();
    await screen.findByRole('textbox', { name: 'Link' });
    expect(screen.queryByText('Making the link…')).toBeNull();
  });

  it('shows the link size against the limit and explains where the conversation goes', async () => {
    openDialog(conversationWith(chat));
    const link = (await screen.findByRole('textbox', { name: 'Link' })) as HTMLInputElement;
    const size = link.value.length.toLocaleString('en-US');
    expect(screen.getByText(`${size} of 32,000 characters`)).toBeVisible();
    expect(link).toHaveAccessibleDescription(`${size} of 32,000 characters`);
    const dialog = screen.getByRole('dialog', { name: 'Share link' });
    expect(dialog).toHaveTextContent(/never\s+send that part to a server/);
    expect(dialog).toHaveTextContent(/anyone who has the link can read/);
    expect(dialog).toHaveTextContent(/API key and settings are not included/);
  });

  it('uses this page without its hash when no page URL is given', async () => {
    window.history.replaceState(null, '', '/parley/?lang=en#share=1.old');
    openDialog(conversationWith(chat), { pageUrl: undefined });
    const link = (await screen.findByRole('textbox', { name: 'Link' })) as HTMLInputElement;
    const page = `${location.origin}/parley/?lang=en`;
    expect(link.value.startsWith(`${page}${SHARE_PREFIX}1.`)).toBe(true);
    expect(link.value).not.toContain('old');
    window.history.replaceState(null, '', '/');
  });

  it('copies the link to the clipboard and says Copied', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    openDialog(conversationWith(chat));
    const link = (await screen.findByRole('textbox', { name: 'Link' })) as HTMLInputElement;
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalledWith(link.value);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeVisible();
    // "Copied" is brief.
    expect(await screen.findByRole('button', { name: 'Copy link' })).toBeVisible();
  });

  it('tells the user to copy by hand when the clipboard refuses', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async () => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    openDialog(conversationWith(chat));
    const link = await screen.findByRole('textbox', { name: 'Link' });
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Copy failed: select the link and copy it')).toBeVisible();
    expect(link).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Copied' })).toBeNull();
  });

  it('refuses a conversation too long for a link and offers the file export', async () => {
    const user = userEvent.setup();
    const huge = conversationWith([{ id: 'u1', role: 'user', content: incompressible(200_000) }]);
    const { onExportFile } = openDialog(huge);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/too long for a link/);
    expect(alert).toHaveTextContent(/the limit is 32,000/);
    expect(screen.queryByRole('textbox', { name: 'Link' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy link' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export as file instead' }));
    expect(onExportFile).toHaveBeenCalledTimes(1);
  });

  it('offers the file export next to a working link too', async () => {
    const user = userEvent.setup();
    const { onExportFile } = openDialog(conversationWith(chat));
    await screen.findByRole('textbox', { name: 'Link' });
    await user.click(screen.getByRole('button', { name: 'Export as file instead' }));
    expect(onExportFile).toHaveBeenCalledTimes(1);
  });

  it('closes with the Close button, Escape and the dialog cancel event', async () => {
    const user = userEvent.setup();
    const { onClose } = openDialog(conversationWith(chat));
    await screen.findByRole('textbox', { name: 'Link' });
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
    const dialog = screen.getByRole('dialog', { name: 'Share link' });
    const cancel = new Event('cancel', { cancelable: true });
    fireEvent(dialog, cancel);
    expect(onClose).toHaveBeenCalledTimes(3);
    expect(cancel.defaultPrevented).toBe(true);
  });

  it('is hidden when not open and makes a fresh link each time it opens', async () => {
    const onClose = vi.fn();
    const onExportFile = vi.fn();
    const first = conversationWith(chat);
    const view = render(ShareDialog, {
      open: false,
      conversation: first,
      pageUrl: PAGE,
      onClose,
      onExportFile,
    });
    expect(screen.queryByRole('dialog')).toBeNull();

    await view.rerender({ open: true });
    const link1 = ((await screen.findByRole('textbox', { name: 'Link' })) as HTMLInputElement)
      .value;

    await view.rerender({ open: false });
    expect(screen.queryByRole('dialog')).toBeNull();
    const second = conversationWith([...chat, { id: 'u2', role: 'user', content: 'And Pluto?' }]);
    await view.rerender({ conversation: second, open: true });
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Link' }) as HTMLInputElement).value).not.toBe(
        link1,
      ),
    );
    const link2 = (screen.getByRole('textbox', { name: 'Link' }) as HTMLInputElement).value;
    const decoded = await decodeShare(link2.slice(PAGE.length));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.value.messages.at(-1)?.content).toBe('And Pluto?');
  });

  it('says so when there is no conversation to share', async () => {
    openDialog(null);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'There is no conversation to share.',
    );
  });
});

const HOSTILE =
  '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>[x](javascript:alert(1))';

function showShared(conversation: Conversation) {
  const onFork = vi.fn();
  const onClose = vi.fn();
  render(SharedView, { conversation, onFork, onClose });
  return { onFork, onClose, user: userEvent.setup() };
}

describe('SharedView', () => {
  it('shows the conversation read-only with its title, models, messages and usage', async () => {
    showShared(conversationWith(chat, { systemMessage: 'Be brief.' }));
    await markdownRendered(document.body);
    const view = screen.getByRole('region', { name: 'Shared conversation' });
    expect(within(view).getByRole('heading', { name: 'Solar system' })).toBeVisible();
    expect(
      within(view).getByText(
        'Read-only copy from a share link. Nothing here is saved until you fork it.',
      ),
    ).toBeVisible();
    expect(view).toHaveTextContent('gpt-4o');
    expect(within(view).getByRole('region', { name: 'Shared system prompt' })).toHaveTextContent(
      'Be brief.',
    );
    // The transcript's own message view, under the transcript's names.
    expect(
      within(view)
        .getAllByRole('article')
        .map((a) => a.getAttribute('aria-label')),
    ).toEqual(['User message', 'Assistant message']);
    expect(within(view).getByRole('article', { name: 'User message' })).toHaveTextContent(
      'How many planets? 🪐',
    );
    const answer = within(view).getByRole('article', { name: 'Assistant message' });
    expect(within(answer).getByText('eight').tagName).toBe('STRONG');
    const usage = within(answer).getByLabelText('Usage');
    expect(usage).toHaveTextContent(/Prompt\s*12/);
    expect(usage).toHaveTextContent(/Completion\s*7/);
    expect(usage).toHaveTextContent(/Total\s*19/);
    // Nothing to edit, and nothing that would change the conversation.
    expect(within(view).queryByRole('textbox')).toBeNull();
    for (const name of [/^Edit/, /^Delete/, 'Regenerate', 'Fork from here', 'Use this answer']) {
      expect(within(view).queryByRole('button', { name })).toBeNull();
    }
    expect(
      within(view)
        .getAllByRole('button')
        .map((b) => b.textContent?.trim()),
    ).toEqual(['Fork to edit', 'Close shared view', 'Copy', 'Raw text']);
  });

  it('shows the raw Markdown of an answer on request', async () => {
    const { user } = showShared(conversationWith(chat));
    const answer = screen.getByRole('article', { name: 'Assistant message' });
    await user.click(within(answer).getByRole('button', { name: 'Raw text' }));
    expect(within(answer).getByText('There are **eight** planets.')).toBeVisible();
  });

  it('shows tool calls, their results and every choice, with nothing to act on', async () => {
    showShared(
      conversationWith([
        { id: 'u1', role: 'user', content: 'Weather?' },
        {
          id: 'a1',
          role: 'assistant',
          content: '',
          status: 'done',
          finishReason: 'tool_calls',
          toolCalls: [
            { id: 'call_1', type: 'function', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        { id: 't1', role: 'tool', content: '{"temperature": 21}', toolCallId: 'call_1' },
        {
          id: 'a2',
          role: 'assistant',
          content: 'Warm *enough*',
          status: 'done',
          choices: [{ content: 'Warm *enough*' }, { content: 'Mild' }],
          chosen: 0,
        },
      ]),
    );
    await markdownRendered(document.body);
    const view = screen.getByRole('region', { name: 'Shared conversation' });
    const call = within(view).getByRole('group', { name: 'Tool call get_weather' });
    expect(within(call).getByLabelText('Arguments').textContent).toBe('{\n  "city": "Oslo"\n}');
    const result = within(view).getByRole('article', { name: 'Tool message' });
    expect(result).toHaveTextContent('Result of get_weather for call_1');
    expect(result).toHaveTextContent('{"temperature": 21}');
    expect(within(view).getByRole('region', { name: 'Choice 1 of 2' })).toHaveTextContent(
      'Warm enough',
    );
    expect(within(view).getByRole('region', { name: 'Choice 2 of 2' })).toHaveTextContent('Mild');
    expect(within(view).queryByRole('textbox')).toBeNull();
    for (const name of ['Add result box', 'Use this choice', 'Retry', 'Open settings']) {
      expect(within(view).queryByRole('button', { name })).toBeNull();
    }
  });

  it('calls onFork and onClose from its buttons', async () => {
    const { onFork, onClose, user } = showShared(conversationWith(chat));
    await user.click(screen.getByRole('button', { name: 'Fork to edit' }));
    expect(onFork).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Close shared view' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('renders hostile text inert everywhere', async () => {
    const conv = conversationWith(
      [
        { id: 'u1', role: 'user', content: HOSTILE },
        { id: 'd1', role: 'developer', content: HOSTILE },
        {
          id: 'a1',
          role: 'assistant',
          content: HOSTILE,
          refusal: HOSTILE,
          reasoning: HOSTILE,
          toolCalls: [{ id: 'c1', type: 'function', name: HOSTILE, arguments: HOSTILE }],
          status: 'done',
          finishReason: 'tool_calls',
        },
        { id: 't1', role: 'tool', content: HOSTILE, toolCallId: 'c1', name: HOSTILE },
      ],
      { title: HOSTILE, systemMessage: HOSTILE, model: HOSTILE },
    );
    const { container } = render(SharedView, {
      conversation: conv,
      onFork: vi.fn(),
      onClose: vi.fn(),
    });
    await markdownRendered(container);

    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.querySelector('a[href^="javascript:" i]')).toBeNull();
    expect((window as unknown as Record<string, unknown>).__pwned).toBeUndefined();

    // Shown as the text it is.
    expect(screen.getByRole('heading', { name: HOSTILE })).toBeVisible();
    expect(screen.getByRole('article', { name: 'User message' })).toHaveTextContent(HOSTILE);
    expect(screen.getByRole('article', { name: 'Developer message' })).toHaveTextContent(HOSTILE);
    expect(screen.getByRole('article', { name: 'Tool message' })).toHaveTextContent(HOSTILE);
    expect(screen.getByRole('region', { name: 'Shared system prompt' })).toHaveTextContent(HOSTILE);
    const answer = screen.getByRole('article', { name: 'Assistant message' });
    expect(answer).toHaveTextContent(`Refusal: ${HOSTILE}`);
    const call = within(answer).getByRole('group', { name: `Tool call ${HOSTILE}` });
    expect(within(call).getByLabelText('Arguments')).toHaveTextContent(HOSTILE);
  });

  it('shows compare panes after the shared history', async () => {
    const conv = conversationWith([{ id: 'u1', role: 'user', content: 'Compare me' }], {
      compare: {
        active: true,
        panes: [
          {
            id: 'p1',
            model: 'gpt-4o',
            overrides: {},
            linkedHistory: true,
            messages: [{ id: 'a1', role: 'assistant', content: 'Answer *one*', status: 'done' }],
          },
          {
            id: 'p2',
            model: 'gpt-4o-mini',
            overrides: {},
            linkedHistory: true,
            messages: [
              {
                id: 'a2',
                role: 'assistant',
                content: 'Answer two',
                status: 'done',
                usage: { prompt: 3, completion: 2, total: 5 },
              },
            ],
          },
          { id: 'p3', model: 'empty-pane', overrides: {}, linkedHistory: true, messages: [] },
        ],
      },
    });
    showShared(conv);
    await markdownRendered(document.body);
    const pane1 = screen.getByRole('region', { name: 'Shared pane 1 (gpt-4o)' });
    const pane2 = screen.getByRole('region', { name: 'Shared pane 2 (gpt-4o-mini)' });
    expect(within(pane1).getByText('one').tagName).toBe('EM');
    const usage = within(
      within(pane2).getByRole('article', { name: 'Assistant message' }),
    ).getByLabelText('Usage');
    expect(usage).toHaveTextContent(/Prompt\s*3/);
    expect(usage).toHaveTextContent(/Completion\s*2/);
    expect(usage).toHaveTextContent(/Total\s*5/);
    expect(screen.queryByRole('region', { name: /empty-pane/ })).toBeNull();
    // Shared history comes first.
    const user = screen.getByRole('article', { name: 'User message' });
    expect(user.compareDocumentPosition(pane1) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Shared conversation' })).toHaveTextContent(
      'gpt-4o vs gpt-4o-mini',
    );
  });
});
