import type { Attachment } from 'svelte/attachments';
import { playableAudio } from '../model/audio-play';

/**
 * Gives an `audio` element the sound of an attached file or an audio answer,
 * from its bytes (a `blob:` URL, the only media source the page's CSP allows),
 * and lets the URL go when the element does.
 */
export function audioSource(sound: { data: string; format: string }): Attachment<HTMLAudioElement> {
  return (audio) => {
    if (!sound.data) return;
    const { bytes, type } = playableAudio(sound);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    audio.src = url;
    return () => URL.revokeObjectURL(url);
  };
}
