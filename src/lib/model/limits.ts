// The API's own limits, which answers as they arrive and records as they are
// read (files, share links, storage) are both held to.

/** Choices (`n` is at most 128) and tool calls of one answer. */
export const MAX_LISTED = 128;

/** `top_logprobs` is at most 20. */
export const MAX_TOP_LOGPROBS = 20;

/** Stream payloads kept per answer for the request inspector. */
export const MAX_STORED_CHUNKS = 5000;
