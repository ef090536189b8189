// The bare page's worker (see index.html): fetches the streamed answer, splits the events,
// JSON.parse()s each and adds up the text; posts the text so far at once for the first
// output, then at most every 60 ms, and at the end.
const GAP_MS = 60;

onmessage = async ({ data: { url, body } }) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-bench' },
    body,
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let text = '';
  let posted = -Infinity;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const buf = rest + decoder.decode(value, { stream: true });
    let at = 0;
    for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n', at)) {
      const event = buf.slice(at, end);
      at = end + 2;
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      text += JSON.parse(event.slice(6)).choices?.[0]?.delta?.content ?? '';
    }
    rest = buf.slice(at);
    if (text && (posted === -Infinity || performance.now() - posted >= GAP_MS)) {
      posted = performance.now();
      postMessage(text);
    }
  }
  postMessage(text);
};
