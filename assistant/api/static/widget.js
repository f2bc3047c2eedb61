/*
 * 政府信息公开年报问答 — the portal chat widget.
 *
 *   <script src="https://HOST/widget.js" data-api-base="https://HOST" data-title="…"
 *           data-color="#b3261e" data-examples="问题一|问题二"></script>
 *
 * Plain JS, no dependencies, no build step. Everything lives in a shadow root so the host page's
 * styles cannot reach in (nor ours out). Text from reports and users is only ever set as text
 * (textContent / Text nodes), never parsed as HTML.
 */
(() => {
  "use strict";

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || document.querySelector("nianbao-widget")) return; // one widget per page

  const config = {
    apiBase: new URL(script.dataset.apiBase || new URL(script.src, location.href).origin, location.href).href.replace(/\/+$/, ""),
    title: script.dataset.title || "政府信息公开年报问答",
    color: script.dataset.color || "",
    examples: (script.dataset.examples || "").split("|").map((s) => s.trim()).filter(Boolean),
  };
  const STREAM_TIMEOUT_MS = 60000;
  const ASK_TIMEOUT_MS = 30000;
  const MAX_FIGURES = 8;
  const SNIPPET_CHARS = 36;

  const ICONS = {
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    send: "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z",
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  };

  const CSS = `
    :host { all: initial; --nb-color: #b3261e; --nb-focus: #1a56db;
      font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
      font-size: 15px; line-height: 1.6; color: #1f2328; }
    *, *::before, *::after { box-sizing: border-box; }
    [hidden] { display: none !important; }
    button, textarea { font: inherit; }
    :focus-visible { outline: 3px solid var(--nb-focus); outline-offset: 2px; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    svg { width: 20px; height: 20px; fill: currentColor; flex: none; }

    .launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: flex; align-items: center;
      gap: 8px; padding: 12px 18px; border: 0; border-radius: 999px; background: var(--nb-color); color: #fff;
      font-weight: 600; box-shadow: 0 4px 14px rgba(0,0,0,.25); cursor: pointer; }
    .launcher:hover { filter: brightness(1.08); }

    .panel { position: fixed; right: 20px; bottom: 84px; z-index: 2147483001; width: min(420px, calc(100vw - 40px));
      height: min(640px, calc(100vh - 110px)); display: flex; flex-direction: column; background: #fff;
      border-radius: 12px; box-shadow: 0 10px 40px rgba(0,0,0,.3); overflow: hidden; }
    @media (max-width: 480px) {
      .panel { inset: 0; width: auto; height: auto; border-radius: 0; }
    }
    .head { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 16px; background: var(--nb-color); color: #fff; }
    .head h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 600; }
    .icon-button { display: grid; place-items: center; width: 36px; height: 36px; border: 0; border-radius: 8px;
      background: transparent; color: inherit; cursor: pointer; }
    .icon-button:hover { background: rgba(255,255,255,.15); }
    .head :focus-visible { outline-color: #fff; }

    .messages { flex: 1; overflow-y: auto; padding: 16px; background: #f6f7f9; display: flex; flex-direction: column; gap: 12px; }
    .msg { max-width: 100%; overflow-wrap: anywhere; }
    .msg-user { align-self: flex-end; max-width: 85%; padding: 8px 12px; border-radius: 12px 12px 2px 12px;
      background: var(--nb-color); color: #fff; white-space: pre-wrap; }
    .msg-bot { align-self: stretch; padding: 12px; border-radius: 12px 12px 12px 2px; background: #fff; border: 1px solid #e3e6ea; }
    .msg-bot p { margin: 0 0 8px; }
    .status { color: #5c6570; }
    .understood { font-size: 13px; color: #5c6570; }
    .figures { display: flex; flex-wrap: wrap; gap: 8px 20px; margin-bottom: 8px; }
    .figure { display: flex; flex-direction: column; }
    .figure-value { font-size: 30px; font-weight: 700; line-height: 1.2; color: var(--nb-color); }
    .figure-caption { font-size: 13px; color: #5c6570; }
    .answer-text { white-space: pre-line; }
    .refusal { font-weight: 600; }
    .source { font-size: 13px; color: #3d4650; }
    .cites-title { font-size: 13px; font-weight: 600; color: #3d4650; }

    details.cite { margin-top: 6px; border: 1px solid #dfe3e8; border-radius: 8px; background: #fafbfc; }
    details.cite > summary { padding: 6px 10px; cursor: pointer; font-size: 13px; color: #1f2328; }
    .cite-snippet { display: block; margin-left: 1em; font-size: 12px; color: #5c6570; }
    details.cite[open] .cite-snippet { display: none; }
    .cite-body { padding: 0 10px 8px; font-size: 14px; }
    .cite-path, .cite-id { font-size: 12px; color: #5c6570; }
    .cite-table { margin: 4px 0 8px; display: grid; grid-template-columns: auto 1fr; gap: 0 8px; font-size: 13px; }
    .cite-table dt { color: #5c6570; }
    .cite-table dd { margin: 0; }
    .quote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #c9ced6; white-space: pre-wrap; }
    mark { background: #ffe58a; color: inherit; padding: 0 1px; border-radius: 2px; }

    .feedback { display: flex; align-items: center; gap: 6px; margin-top: 10px; font-size: 13px; color: #5c6570; }
    .feedback .icon-button { width: 32px; height: 32px; color: #5c6570; }
    .feedback .icon-button:hover { background: #eef0f3; }
    .feedback .icon-button[aria-pressed="true"] { color: var(--nb-color); background: #fdecea; }
    .feedback-form { margin-top: 6px; display: flex; flex-direction: column; gap: 6px; }
    .feedback-form textarea { width: 100%; min-height: 56px; padding: 6px 8px; border: 1px solid #c9ced6; border-radius: 6px; resize: vertical; }
    .thanks { margin-top: 6px; font-size: 13px; color: #1a7f37; }
    .error { color: #a40e26; }

    .button { align-self: flex-start; padding: 4px 14px; border: 1px solid var(--nb-color); border-radius: 6px;
      background: #fff; color: var(--nb-color); cursor: pointer; }
    .examples { display: flex; flex-wrap: wrap; gap: 6px; }
    .example { padding: 4px 10px; border: 1px solid #c9ced6; border-radius: 999px; background: #fff; color: #1f2328;
      cursor: pointer; font-size: 13px; text-align: left; }

    .composer { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e3e6ea; background: #fff; }
    .composer textarea { flex: 1; min-width: 0; height: 42px; max-height: 120px; padding: 9px 10px; border: 1px solid #c9ced6;
      border-radius: 8px; resize: none; }
    .send { display: flex; align-items: center; gap: 4px; padding: 0 14px; border: 0; border-radius: 8px;
      background: var(--nb-color); color: #fff; cursor: pointer; }
    .send:disabled { opacity: .5; cursor: default; }
  `;

  // ---- DOM helpers: every piece of data goes in as text ---------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, String(value));
    }
    node.append(...children.filter((c) => c != null)); // strings become Text nodes
    return node;
  }

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function adoptStyles(root) {
    if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
      // A constructed sheet is not an inline <style>, so a portal's strict style-src CSP allows it.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", null, CSS));
    }
  }

  // ---- the session: follow-ups are read against the previous question of the same tab ---------

  function sessionId() {
    const key = "nianbao-session";
    const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    try {
      let id = sessionStorage.getItem(key);
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(id || "")) {
        id = fresh();
        sessionStorage.setItem(key, id);
      }
      return id;
    } catch {
      return fresh(); // storage disabled: one session per page load
    }
  }

  // ---- talking to the API ----------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function errorFrom(response) {
    let message = "";
    try {
      message = (await response.json()).error.message;
    } catch {
      // not the API's JSON error shape (a proxy's page, say): the status says enough
    }
    const retryAfter = parseInt(response.headers.get("Retry-After") || "", 10);
    return new ApiError(response.status, message || `HTTP ${response.status}`, Number.isFinite(retryAfter) ? retryAfter : null);
  }

  function post(path, body, timeoutMs, accept) {
    return fetch(config.apiBase + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: accept },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /** Server-sent events from a fetch body (EventSource cannot POST). Lines may end in \n, \r\n or \r. */
  async function readEvents(response, onEvent) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let type = "message";
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return; // an event cut off by the end of the stream is dropped, as EventSource does
      buffer += value;
      // A trailing \r may be the first half of \r\n: keep it for the next chunk.
      const lines = buffer.split(/\r\n|\n|\r(?=[^\n])/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === "") {
          if (data.length) onEvent(type, data.join("\n"));
          type = "message";
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") type = text;
          else if (field === "data") data.push(text);
        }
      }
    }
  }

  /**
   * The answer through /api/ask/stream, showing its progress through `on`; null when the stream
   * broke off or is unavailable (the caller falls back to /api/ask). A refusal of the question
   * itself (4xx) is thrown: asking again would only be refused again.
   */
  async function askStreaming(body, on) {
    const response = await post("/api/ask/stream", body, STREAM_TIMEOUT_MS, "text/event-stream");
    if (!response.ok) {
      const error = await errorFrom(response);
      if (error.status >= 400 && error.status < 500 && error.status !== 404 && error.status !== 405) throw error;
      return null;
    }
    if (!(response.headers.get("Content-Type") || "").includes("text/event-stream")) return null;
    let answer = null;
    let failure = null;
    await readEvents(response, (type, data) => {
      let payload;
      try {
        payload = JSON.parse(data);
      } catch {
        return;
      }
      if (type === "understanding") on.understanding(payload.understanding);
      else if (type === "delta") on.delta(String(payload.text ?? ""));
      else if (type === "answer") answer = payload;
      else if (type === "error") failure = payload.error || {};
    });
    if (answer) return answer;
    if (failure && failure.status >= 400 && failure.status < 500) throw new ApiError(failure.status, failure.message || "", null);
    return null;
  }

  async function askPlain(body) {
    const response = await post("/api/ask", body, ASK_TIMEOUT_MS, "application/json");
    if (!response.ok) throw await errorFrom(response);
    return response.json();
  }

  async function getAnswer(question, on) {
    const body = { question, session_id: sessionId(), channel: "widget" };
    let answer = null;
    try {
      answer = await askStreaming(body, on);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // the connection dropped or timed out: ask once more, without streaming
    }
    return answer || askPlain(body);
  }

  async function sendFeedback(answerId, rating, comment) {
    const body = { answer_id: answerId, rating };
    if (comment) body.comment = comment;
    const response = await post("/api/feedback", body, ASK_TIMEOUT_MS, "application/json");
    if (!response.ok) throw await errorFrom(response);
  }

  function describeError(error) {
    if (error instanceof ApiError) {
      if (error.status === 429) {
        return error.retryAfter != null ? `提问太频繁了，请${error.retryAfter}秒后再试。` : "提问太频繁了，请稍后再试。";
      }
      return error.message;
    }
    if (error && (error.name === "TimeoutError" || error.name === "AbortError")) return "问答服务响应超时，请稍后重试。";
    return "无法连接问答服务，请检查网络后重试。";
  }

  // ---- rendering an answer ---------------------------------------------------------------------

  /** The paragraph with the figure marked; offsets count code points, as the server's do. */
  function quote(text, highlight) {
    const chars = Array.from(text || "");
    const [start, end] = Array.isArray(highlight) ? highlight : [];
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= chars.length)) {
      return el("p", { class: "quote" }, chars.join(""));
    }
    return el("p", { class: "quote" },
      chars.slice(0, start).join(""), el("mark", null, chars.slice(start, end).join("")), chars.slice(end).join(""));
  }

  function citationCard(citation, figures) {
    const path = citation.section_path || [];
    const cell = figures.find((f) => f.table && f.paragraph_id === citation.paragraph_id);
    const body = el("div", { class: "cite-body" },
      el("p", { class: "cite-path" }, [`《${citation.title}》`, ...path].join(" › ")));
    if (cell) {
      body.append(el("dl", { class: "cite-table" },
        el("dt", null, "表"), el("dd", null, cell.table),
        el("dt", null, "行"), el("dd", null, cell.row || ""),
        el("dt", null, "列"), el("dd", null, cell.column || "")));
    }
    body.append(quote(citation.text, citation.highlight), el("p", { class: "cite-id" }, `段落 ${citation.paragraph_id}`));
    const where = `${citation.agency} · ${citation.year}年` + (path.length ? ` · ${path[path.length - 1]}` : "");
    // The passage's opening words: cards from one section otherwise read alike when closed.
    const chars = Array.from(citation.text || "");
    const opening = chars.slice(0, SNIPPET_CHARS).join("") + (chars.length > SNIPPET_CHARS ? "…" : "");
    return el("details", { class: "cite" },
      el("summary", null, el("span", { class: "cite-where" }, where), el("span", { class: "cite-snippet" }, opening)),
      body);
  }

  function figureDisplay(figure) {
    // A table cell prints the bare number; the unit makes it read as an answer ("9件").
    const printed = figure.as_printed || figure.value;
    return figure.unit && !printed.endsWith(figure.unit) ? printed + figure.unit : printed;
  }

  function understoodLine(understanding, asked) {
    if (!understanding) return null;
    const scope = [understanding.agency, ...(understanding.years || []).map((y) => `${y}年`)].filter(Boolean).join(" · ");
    if (understanding.question && understanding.question !== asked) {
      return el("p", { class: "understood" }, `理解为：${understanding.question}`);
    }
    return scope ? el("p", { class: "understood" }, `查询：${scope}`) : null;
  }

  function feedbackControls(answerId) {
    let rating = null;
    const comment = el("textarea", { maxlength: 1000, "aria-label": "补充说明（可选）", placeholder: "补充说明（可选）" });
    const problem = el("p", { class: "error", hidden: true });
    const form = el("form", { class: "feedback-form", hidden: true, onsubmit: submit },
      comment, problem, el("button", { class: "button", type: "submit" }, "提交反馈"));
    const thanks = el("p", { class: "thanks", role: "status", hidden: true }, "感谢反馈");
    const thumbs = [["up", "有帮助"], ["down", "没有帮助"]].map(([value, label]) =>
      el("button", { class: "icon-button", type: "button", "aria-pressed": "false", "aria-label": label, "data-rating": value,
        onclick: () => choose(value) }, icon(value)));

    function choose(value) {
      rating = value;
      for (const b of thumbs) b.setAttribute("aria-pressed", String(b.dataset.rating === value));
      form.hidden = false;
      comment.focus();
    }

    async function submit(event) {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      problem.hidden = true;
      try {
        await sendFeedback(answerId, rating, comment.value.trim());
        form.remove();
        for (const b of thumbs) b.disabled = true;
        thanks.hidden = false;
      } catch (error) {
        problem.textContent = `反馈未能提交：${describeError(error)}`;
        problem.hidden = false;
        button.disabled = false;
      }
    }

    return el("div", null,
      el("div", { class: "feedback", role: "group", "aria-label": "这个回答有帮助吗？" }, el("span", null, "这个回答有帮助吗？"), ...thumbs),
      form, thanks);
  }

  function renderAnswer(bubble, answer, asked) {
    const figures = answer.figures || [];
    const citations = answer.citations || [];
    const agencyOf = (figure) => (citations.find((c) => c.report_id === figure.report_id) || answer.report || {}).agency;
    const parts = [understoodLine(answer.understanding, asked)];
    if (answer.answered) {
      if (figures.length) {
        const single = figures.length === 1;
        parts.push(el("div", { class: "figures" }, ...figures.slice(0, MAX_FIGURES).map((f) =>
          el("div", { class: "figure" },
            el("span", { class: "figure-value" }, figureDisplay(f)),
            el("span", { class: "figure-caption" }, single ? `${agencyOf(f) || ""} ${f.year}年`.trim() : `${f.year}年`)))));
      }
      parts.push(el("p", { class: "answer-text" }, answer.text));
      const sources = [...new Set(citations.map((c) => `${c.agency} ${c.year}年`))];
      if (!sources.length && answer.report) sources.push(`${answer.report.agency} ${answer.report.year}年`);
      if (sources.length) parts.push(el("p", { class: "source" }, `来源：${sources.join("；")}年度报告`));
      if (citations.length) parts.push(el("p", { class: "cites-title" }, "出处（点击展开原文）"), ...citations.map((c) => citationCard(c, figures)));
    } else {
      parts.push(el("p", { class: "answer-text refusal" }, answer.text));
      const nearest = answer.nearest || [];
      if (nearest.length) parts.push(el("p", { class: "cites-title" }, "最接近的段落，供参考："), ...nearest.map((c) => citationCard(c, [])));
    }
    if (answer.id) parts.push(feedbackControls(answer.id));
    bubble.replaceChildren(...parts.filter(Boolean));
    bubble.dataset.state = "done";
  }

  // ---- the widget --------------------------------------------------------------------------------

  function mount() {
    const host = document.createElement("nianbao-widget");
    const root = host.attachShadow({ mode: "open" }); // open: tests and assistive tech can reach in
    adoptStyles(root);
    if (config.color) host.style.setProperty("--nb-color", config.color);

    const launcher = el("button", { class: "launcher", type: "button", "aria-label": `打开${config.title}`,
      "aria-expanded": "false", "aria-controls": "nb-panel" }, icon("chat"), el("span", { "aria-hidden": "true" }, "问答"));
    const closeButton = el("button", { class: "icon-button", type: "button", "aria-label": "关闭问答窗口" }, icon("close"));
    const messages = el("div", { class: "messages", role: "log", "aria-live": "polite", "aria-label": "对话记录" });
    const input = el("textarea", { id: "nb-input", rows: 1, maxlength: 1000, "aria-label": "输入问题",
      placeholder: "输入问题，按回车发送", enterkeyhint: "send" });
    const send = el("button", { class: "send", type: "submit", "aria-label": "发送问题" }, icon("send"));
    const composer = el("form", { class: "composer" }, input, send);
    const panel = el("div", { class: "panel", id: "nb-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "nb-title", hidden: true },
      el("div", { class: "head" }, el("h2", { id: "nb-title" }, config.title), closeButton), messages, composer);
    root.append(launcher, panel);

    let busy = false;

    function scrollDown() {
      messages.scrollTop = messages.scrollHeight;
    }

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      input.focus();
    }

    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    async function ask(question, bubble) {
      busy = true;
      send.disabled = true;
      messages.setAttribute("aria-busy", "true"); // announce the finished answer, not every piece of it
      bubble.dataset.state = "pending";
      const status = el("p", { class: "status" }, "正在查找报告…");
      const text = el("p", { class: "answer-text" });
      bubble.replaceChildren(status, text);
      try {
        const answer = await getAnswer(question, {
          understanding(understanding) {
            const line = understoodLine(understanding, question);
            if (line) status.replaceWith(line);
          },
          delta(piece) {
            status.remove();
            bubble.dataset.state = "streaming";
            text.append(piece);
            scrollDown();
          },
        });
        renderAnswer(bubble, answer, question);
      } catch (error) {
        bubble.dataset.state = "error";
        bubble.replaceChildren(
          el("p", { class: "error" }, `出错了：${describeError(error)}`),
          el("button", { class: "button", type: "button", onclick: () => { input.focus(); ask(question, bubble); } }, "重试"));
      } finally {
        busy = false;
        send.disabled = false;
        messages.removeAttribute("aria-busy");
        scrollDown();
      }
    }

    function submit(question) {
      question = question.trim();
      if (!question || busy) return;
      input.value = "";
      const bubble = el("div", { class: "msg msg-bot" });
      messages.append(el("div", { class: "msg msg-user" }, question), bubble);
      scrollDown();
      ask(question, bubble);
    }

    messages.append(el("div", { class: "msg msg-bot", "data-state": "done" },
      el("p", null, "您好！请输入关于政府信息公开工作年度报告的问题，我会给出报告中的原始数字和出处。"),
      config.examples.length ? el("p", { class: "cites-title" }, "可以这样问：") : null,
      config.examples.length ? el("div", { class: "examples" }, ...config.examples.map((q) =>
        el("button", { class: "example", type: "button", onclick: () => submit(q) }, q))) : null));

    launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
    closeButton.addEventListener("click", close);
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(input.value);
    });
    input.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition is neither.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit(input.value);
      }
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        trapFocus(event);
      }
    });

    // aria-modal promises the rest of the page is out of reach: Tab cycles within the panel.
    function trapFocus(event) {
      const focusable = [...panel.querySelectorAll("button, textarea, summary, [tabindex]")]
        .filter((node) => !node.disabled && node.tabIndex >= 0 && node.getClientRects().length);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && root.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && root.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }

    document.body.append(host);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
