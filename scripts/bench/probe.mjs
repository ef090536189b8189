/**
 * What the bench installs in the page before any of the app's scripts run
 * (`context.addInitScript(installProbe, options)`): it only listens, through the browser's
 * own timing APIs, and exposes what it saw as `window.__parleyBench`. Nothing in the app
 * knows of it. Times are `performance.now()` values: ms since navigation start.
 *
 * "Painted" means: the rendering update (style, layout, paint) of the frame that first
 * showed a change has finished. It is read as requestAnimationFrame, then a message posted
 * from it: that message runs right after the frame's rendering update.
 *
 * - `longTasks`: PerformanceObserver('longtask') entries ({ start, duration }).
 * - `events`: Event Timing entries (`type: 'event'`, `durationThreshold: 16`, the lowest
 *   the browser allows: shorter events are never reported).
 * - `keys`: per keydown, its `timeStamp` (when the browser got the key) and `frameEnd`, the
 *   end of the first frame rendered after the key's `input` event (see "painted").
 * - markers: `watch(text)` looks for `text` in the nodes the page adds or changes, once per
 *   frame (in requestAnimationFrame, so the search happens in the frame that will show
 *   them; `probeMs` sums what that costs the page). `whenPainted(text)` resolves with
 *   { inDomAt, paintedAt, visibleAt, shownAt }: `shownAt` is the end of the frame that
 *   painted the text, or, with `onScreen`, the frame in which its element first intersected
 *   the viewport (IntersectionObserver, which knows about clipping scroll containers).
 * - `button` (option): from the first frame on, polls the page once per frame for a button
 *   whose text is this name; `B.button` records when it first existed and when it was
 *   first enabled ({ seenAt, enabledAt, paintedAt }).
 *
 * This function is serialised into the page: it must not use anything from this module.
 * @param {{ markers?: string[], button?: string }} [options]
 */
export function installProbe(options = {}) {
  if (window.top !== window || window.__parleyBench) return;
  const now = () => performance.now();
  /** Runs `done(time)` right after the rendering update of the frame in progress. */
  const afterThisFrame = (done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(now());
    channel.port2.postMessage(null);
  };
  /** Runs `done(time)` after the next frame has been rendered. */
  const afterNextFrame = (done) => requestAnimationFrame(() => afterThisFrame(done));

  const B = {
    longTasks: [],
    events: [],
    keys: [],
    probeMs: 0,
    markers: new Map(),
    button: undefined,
    whenButton,
    watch,
    whenPainted,
    isOnScreen,
    whenKey,
    settled,
  };
  Object.defineProperty(window, '__parleyBench', { value: B });

  const observe = (type, init, each) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({
        type,
        buffered: true,
        ...init,
      });
    } catch {
      // An entry type this browser lacks: its list stays empty.
    }
  };
  observe('longtask', {}, (e) => B.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('event', { durationThreshold: 16 }, (e) =>
    B.events.push({
      name: e.name,
      start: e.startTime,
      duration: e.duration,
      processingStart: e.processingStart,
      processingEnd: e.processingEnd,
    }),
  );

  // ---------------------------------------------------------------------------
  // Keys: the timestamp is the browser's; the frame end is the next rendered frame.

  const keyWaiters = [];
  addEventListener(
    'keydown',
    (e) => B.keys.push({ key: e.key, at: e.timeStamp, inputAt: undefined, frameEnd: undefined }),
    true,
  );
  addEventListener(
    'input',
    (e) => {
      const key = B.keys.at(-1);
      if (!key || key.inputAt !== undefined) return;
      key.inputAt = e.timeStamp;
      afterNextFrame((t) => {
        key.frameEnd = t;
        for (const w of keyWaiters.splice(0)) w();
      });
    },
    true,
  );

  /** Resolves when the `n`th key since navigation has reached a text box and been painted. */
  function whenKey(n, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`key ${n} never reached a text box (no input event)`)),
        timeoutMs,
      );
      const check = () => {
        const key = B.keys[n - 1];
        if (key?.frameEnd !== undefined) {
          clearTimeout(timer);
          resolve();
        } else keyWaiters.push(check);
      };
      check();
    });
  }

  // ---------------------------------------------------------------------------
  // A button by its text, polled once per frame until it is enabled.

  const buttonWaiters = [];
  /** Resolves with `B.button` once the button has been painted enabled. */
  function whenButton() {
    if (!B.button) return Promise.reject(new Error('the probe was not asked to poll a button'));
    if (B.button.paintedAt !== undefined) return Promise.resolve(B.button);
    return new Promise((resolve) => buttonWaiters.push(() => resolve(B.button)));
  }
  if (options.button) {
    const name = options.button;
    B.button = { name, seenAt: undefined, enabledAt: undefined, paintedAt: undefined };
    const poll = (frameTime) => {
      const t0 = now();
      const el = [...document.getElementsByTagName('button')].find(
        (b) => b.textContent.trim() === name,
      );
      if (el) B.button.seenAt ??= frameTime;
      if (el && !el.disabled) {
        B.button.enabledAt = frameTime;
        afterThisFrame((t) => {
          B.button.paintedAt = t;
          for (const w of buttonWaiters.splice(0)) w();
        });
      } else requestAnimationFrame(poll);
      B.probeMs += now() - t0;
    };
    requestAnimationFrame(poll);
  }

  // ---------------------------------------------------------------------------
  // Markers: text looked for in what the page adds or changes.

  const pending = [];
  let scanQueued = false;
  /** Elements under an added node beyond which its text is read node by node (see scan). */
  const LARGE = 500;
  const queueScan = () => {
    if (scanQueued) return;
    scanQueued = true;
    requestAnimationFrame(scan);
  };
  const io = new IntersectionObserver((entries) => {
    const at = now();
    for (const entry of entries) {
      for (const rec of B.markers.values()) {
        // The first entry for the element the marker was found in: computed in the
        // rendering update of the frame that painted it (see found()).
        if (rec.foundEl === entry.target && rec.lifecycleAt === undefined) {
          rec.lifecycleAt = entry.time;
          painted(rec);
        }
        if (rec.el !== entry.target) continue;
        if (!entry.isIntersecting || rec.visibleAt !== undefined) continue;
        rec.visibleAt = entry.time;
        rec.visibleCallbackAt = at;
        settle(rec);
      }
    }
  });

  const mo = new MutationObserver((records) => {
    const waiting = [...B.markers.values()];
    if (!waiting.some((rec) => rec.inDomAt === undefined || rec.shownAt === undefined)) return;
    for (const r of records) {
      if (r.type === 'characterData') pending.push(r.target);
      else pending.push(...r.addedNodes);
    }
    // A marker found, then re-rendered into a new element: watch the new one instead.
    if (waiting.some((rec) => rec.el && !rec.el.isConnected && rec.shownAt === undefined)) {
      pending.push(document.body);
    }
    if (pending.length > 0) queueScan();
  });
  mo.observe(document, { childList: true, subtree: true, characterData: true });

  function scan() {
    const t0 = now();
    scanQueued = false;
    const nodes = pending.splice(0);
    const looking = [...B.markers.values()].filter((rec) => {
      const lost = rec.el !== undefined && !rec.el.isConnected && rec.shownAt === undefined;
      return rec.inDomAt === undefined || lost;
    });
    // Each node's text is read once, whatever the number of markers (compare panes watch
    // four): the probe's own cost is part of what the page is measured doing. A large
    // subtree (a long conversation mounted at once: up to megabytes of text, whose
    // textContent cost the page 6-24 ms, and finding the marker's element in it 4-7 more)
    // is searched by the browser's XPath, text node by text node, without joining them.
    // Markers are words of their own: one text node holds each.
    const common = commonStart(looking.map((rec) => rec.text));
    for (let i = 0; i < nodes.length && looking.length > 0; i++) {
      const n = nodes[i];
      if (!n.isConnected) continue;
      if (n.nodeType === Node.ELEMENT_NODE && n.getElementsByTagName('*').length > LARGE) {
        const hits = document.evaluate(
          `.//text()[contains(., "${common}")]`,
          n,
          null,
          XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
          null,
        );
        for (let k = 0; k < hits.snapshotLength && looking.length > 0; k++) {
          const t = hits.snapshotItem(k);
          seen(t, t.data, looking, common, t0);
        }
      } else {
        seen(n, n.nodeType === Node.TEXT_NODE ? n.data : n.textContent, looking, common, t0);
      }
    }
    B.probeMs += now() - t0;
  }

  /** The start the texts share (for an XPath string: no double quote). */
  function commonStart(texts) {
    let start = (texts[0] ?? '').split('"')[0];
    for (const t of texts) while (!t.startsWith(start)) start = start.slice(0, -1);
    return start;
  }

  /** Marks the markers in `text`, node `n`'s, as found, and drops them from `looking`. */
  function seen(n, text, looking, common, at) {
    if (!text || !text.includes(common)) return;
    for (let k = looking.length - 1; k >= 0; k--) {
      const rec = looking[k];
      if (!text.includes(rec.text)) continue;
      looking.splice(k, 1);
      if (rec.inDomAt !== undefined) track(rec, holder(n, rec.text));
      else found(rec, n, at);
    }
  }

  /**
   * Called in requestAnimationFrame: the frame being rendered now shows the marker.
   * The end of its rendering update is read two ways, and the earlier is kept: a message
   * posted now runs right after it, unless another task (a network read) is picked
   * first; and an IntersectionObserver told to observe the element now computes its
   * first entry in that update, after paint, stamped with that time whatever runs next.
   */
  function found(rec, node, at) {
    rec.inDomAt = at;
    track(rec, holder(node, rec.text));
    rec.foundEl = rec.el;
    afterThisFrame((t) => {
      rec.messageAt = t;
      painted(rec);
    });
  }

  function painted(rec) {
    if (rec.messageAt === undefined || rec.paintedAt !== undefined) return;
    // The observer's entry is delivered in a task of its own: wait for it, but not
    // past the next frame (an element replaced meanwhile gets none).
    if (rec.foundEl && rec.lifecycleAt === undefined && !rec.waited) {
      rec.waited = true;
      afterNextFrame(() => painted(rec));
      return;
    }
    const stamped = rec.lifecycleAt !== undefined && rec.lifecycleAt >= rec.inDomAt;
    rec.paintedAt = stamped ? Math.min(rec.messageAt, rec.lifecycleAt) : rec.messageAt;
    settle(rec);
  }

  function track(rec, el) {
    if (rec.el) io.unobserve(rec.el);
    rec.el = el;
    if (el) io.observe(el);
  }

  /** The element whose own text node holds `text`. */
  function holder(node, text) {
    if (node.nodeType === Node.TEXT_NODE) return node.parentElement;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t.data.includes(text)) return t.parentElement;
    }
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  function settle(rec) {
    if (rec.paintedAt === undefined || rec.shownAt !== undefined) return;
    if (rec.onScreen === false) rec.shownAt = rec.paintedAt;
    else if (rec.visibleAt === undefined) return;
    // On screen in the frame that painted it, or (scrolled in later) at the end of the
    // frame in which it first intersected the viewport.
    else rec.shownAt = rec.visibleAt <= rec.paintedAt ? rec.paintedAt : rec.visibleCallbackAt;
    rec.resolve?.();
  }

  /** Starts looking for each text. One already on the page is found now, flagged `late`. */
  function watch(...texts) {
    for (const text of texts) {
      if (B.markers.has(text)) continue;
      const rec = { text };
      B.markers.set(text, rec);
      if (document.body?.textContent.includes(text)) {
        rec.late = true;
        requestAnimationFrame(() => found(rec, document.body, now()));
      }
    }
  }

  /** With `onScreen: false`, in the DOM and painted is enough (scrolled out of view or not). */
  function whenPainted(text, { onScreen = true, timeoutMs = 60_000 } = {}) {
    watch(text);
    const rec = B.markers.get(text);
    rec.onScreen = onScreen;
    const result = () => ({
      late: rec.late === true,
      inDomAt: rec.inDomAt,
      paintedAt: rec.paintedAt,
      messageAt: rec.messageAt,
      lifecycleAt: rec.lifecycleAt,
      visibleAt: rec.visibleAt,
      shownAt: rec.shownAt,
    });
    settle(rec);
    if (rec.shownAt !== undefined) return Promise.resolve(result());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const state =
          rec.inDomAt === undefined ? 'never in the DOM' : 'in the DOM, never on screen';
        reject(new Error(`"${text}" not painted after ${timeoutMs} ms (${state})`));
      }, timeoutMs);
      rec.resolve = () => {
        clearTimeout(timer);
        resolve(result());
      };
    });
  }

  /** Whether the element holding a found marker intersects the viewport now. */
  function isOnScreen(text) {
    const rec = B.markers.get(text);
    const el = rec?.el?.isConnected ? rec.el : holder(document.body, text);
    if (!el || el === document.body) return Promise.resolve(false);
    return new Promise((resolve) => {
      const once = new IntersectionObserver(([entry]) => {
        once.disconnect();
        resolve(entry.isIntersecting);
      });
      once.observe(el);
    });
  }

  /** Resolves once the page is idle: two idle periods in a row with nearly 50 ms to spare. */
  function settled(timeoutMs = 30_000) {
    const until = now() + timeoutMs;
    return new Promise((resolve) => {
      let quiet = 0;
      const check = (deadline) => {
        quiet = deadline.timeRemaining() >= 45 ? quiet + 1 : 0;
        if (quiet >= 2 || now() > until) resolve(quiet >= 2);
        else requestIdleCallback(check);
      };
      requestIdleCallback(check);
    });
  }

  watch(...(options.markers ?? []));
}
