"""A scripted OpenAI-compatible chat-completions server, run by the tests as a real process on
127.0.0.1: ``python tests/scripted_llm.py PORT``. The request's ``model`` picks how it behaves:

- good:      picks the first candidate (F1) with the year and agency its line names; writes S1's sentence back, citing S1
- none:      picks "none"
- inventor:  writes a figure no sentence prints (and, choosing, adds a number of its own, which must be ignored)
- phantom:   picks F9 / cites S9, which it was not given
- wrong-year: picks F1 but says the question is about 1999
- broken:    replies with cut-off JSON
- hang:      says nothing for 30 s
- error:     answers HTTP 500

Streaming (``"stream": true``) sends the reply in server-sent-event chunks, as OpenAI does.
``GET /requests`` returns the bodies received so far.
"""

from __future__ import annotations

import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED: list[dict] = []
_LINE = re.compile(r"^(?P<id>[FS]\d+) \| (?P<rest>.*)$", re.MULTILINE)


def reply_for(model: str, prompt: str) -> str:
    lines = {m["id"]: m["rest"] for m in _LINE.finditer(prompt)}
    choosing = any(i.startswith("F") for i in lines)
    if model == "broken":
        return '{"choice": "F1", "agency": '
    if choosing:
        first = lines.get("F1", "")
        year = re.search(r"(\d{4})年", first)
        agency = first.split(" ", 1)[0] if first else None
        picks = {"good": {"choice": "F1", "agency": agency, "year": int(year.group(1)) if year else None},
                 "none": {"choice": "none"},
                 "inventor": {"choice": "F1", "answer": "共99999件", "value": 99999},
                 "phantom": {"choice": "F9"},
                 "wrong-year": {"choice": "F1", "year": 1999}}
        return json.dumps(picks.get(model, picks["good"]), ensure_ascii=False)
    sentence = lines.get("S1", "").rsplit(" | ", 1)[-1]
    texts = {"good": {"answer": sentence, "cited": ["S1"]},
             "none": {"answer": "", "cited": []},
             "inventor": {"answer": f"{sentence}另外，全年共收到申请98765件。", "cited": ["S1"]},
             "phantom": {"answer": sentence, "cited": ["S9"]},
             "wrong-year": {"answer": sentence, "cited": ["S1"]}}
    return json.dumps(texts.get(model, texts["good"]), ensure_ascii=False)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps(RECEIVED, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        RECEIVED.append(request)
        model = request.get("model", "good")
        if model == "hang":
            time.sleep(30)
            return
        if model == "error":
            self._json(500, {"error": {"message": "scripted failure", "type": "server_error"}})
            return
        prompt = "\n".join(str(m.get("content", "")) for m in request.get("messages", []))
        content = reply_for(model, prompt)
        if request.get("stream"):
            self._stream(model, content)
        else:
            self._json(200, {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                             "model": model, "choices": [{"index": 0, "finish_reason": "stop",
                                                          "message": {"role": "assistant", "content": content}}],
                             "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, model: str, content: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = [content[i:i + 7] for i in range(0, len(content), 7)] or [""]
        for n, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if n == 0 else {"content": piece}
            self._event({"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        self._event({"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                     "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict) -> None:
        self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
        self.wfile.flush()


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()
