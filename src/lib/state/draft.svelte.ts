// What the user is composing: the text and the files attached to it. Sending
// takes it as one user turn; a failed send with nothing back puts it back.

import { newId } from '../model/conversation';
import type { Conversation, FilePart, ImagePart, Message } from '../model/types';

export class Draft {
  text = $state('');
  #images = $state.raw<ImagePart[]>([]);
  #files = $state.raw<FilePart[]>([]);

  /** Images attached, sent after the text. */
  get images(): readonly ImagePart[] {
    return this.#images;
  }
  set images(v: readonly ImagePart[]) {
    this.#images = [...v];
  }

  /** Audio and PDFs attached, sent after the images. */
  get files(): readonly FilePart[] {
    return this.#files;
  }
  set files(v: readonly FilePart[]) {
    this.#files = [...v];
  }

  /** Something is attached (a turn can be sent without text). */
  get attached(): boolean {
    return this.#images.length + this.#files.length > 0;
  }

  load(conv: Pick<Conversation, 'draft' | 'draftImages' | 'draftFiles'>) {
    this.text = conv.draft;
    this.#images = conv.draftImages ?? [];
    this.#files = conv.draftFiles ?? [];
  }

  /** Every saved field by reference (autosave compares these). */
  track(): unknown[] {
    return [this.text, this.#images, this.#files];
  }

  /**
   * The draft's fields of a stored conversation. The lists are not copied:
   * they are replaced to change, so storage tells a changed one by identity
   * (and a file is not copied on every keystroke).
   */
  fields(): Pick<Conversation, 'draft' | 'draftImages' | 'draftFiles'> {
    return {
      draft: this.text,
      ...(this.#images.length ? { draftImages: this.#images } : {}),
      ...(this.#files.length ? { draftFiles: this.#files } : {}),
    };
  }

  /** The draft as a user turn, emptied; null when there is nothing to send. */
  take(): Message | null {
    if (this.text.trim() === '' && !this.attached) return null;
    const turn: Message = { id: newId(), role: 'user', content: this.text };
    if (this.#images.length) turn.images = this.#images;
    if (this.#files.length) turn.files = this.#files;
    this.text = '';
    this.#images = [];
    this.#files = [];
    return turn;
  }

  /** A turn that was taken back (nothing came of it) becomes the draft again. */
  restore(turn: Message) {
    this.text = turn.content;
    this.#images = turn.images ?? [];
    this.#files = turn.files ?? [];
  }
}
