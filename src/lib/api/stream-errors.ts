// The ways reading a stream can fail that are Parley's own words, not the
// SDK's: thrown by the stream reader (sse.ts, in the page or in the stream
// worker), told in words by errors.ts. A module of their own, so that the page
// knows them without loading the reader.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The answer passed the most bytes Parley reads of one (sse.ts, MAX_ANSWER_BYTES). */
export class AnswerTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`The answer passed ${limitBytes} bytes.`);
    this.name = 'AnswerTooLarge';
  }
}

/** A successful reply that is not the API's: a web page, or anything without events. */
export class NotAnApiResponse extends Error {
  constructor(
    readonly contentType: string,
    /** The start of the body, as text (never markup to render). */
    readonly start: string,
  ) {
    super(`Not an API response (${contentType || 'no content type'}).`);
    this.name = 'NotAnApiResponse';
  }
}

/**
 * An `error` event, or a payload with an `error` object, in a stream that
 * began as a success: what the SDK's APIError says without a status.
 */
export class StreamedError extends Error {
  constructor(
    /** The event's error object (or whatever the payload held), as sent. */
    readonly error: unknown,
    readonly headers: Headers,
  ) {
    const said = isObject(error) && typeof error.message === 'string' ? error.message : undefined;
    super(said ?? JSON.stringify(error) ?? 'An error in the stream.');
    this.name = 'StreamedError';
  }
}
