"""How the dev server reads a request (issue 13 item 6), as uhttpd does (client.c, ubus.c):
Content-Length framing (negative, not a number, twice, or beside a Transfer-Encoding → 400; no
length → no body, so /ubus answers a JSON-RPC parse error), bodies nested deeper than json-c's
32 levels or larger than 64 KiB → a JSON-RPC parse error, and sockets that stay silent or
trickle (slowloris) are closed, so no client holds a server thread for ever.
test_against_uhttpd.py puts the same requests to uhttpd itself (make test-native)."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

PARSE_ERROR = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}


def raw(base: str, request: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Send ``request`` as it is; the status and the body of the reply."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():      # uhttpd answers HTTP/1.1 so
        out, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size.split(b";")[0], 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return int(head.split()[1]), body


def post(base: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    lines = ["POST /ubus HTTP/1.1", "Host: x", *(f"{k}: {v}" for k, v in headers.items())]
    return raw(base, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def nested_call(levels: int) -> bytes:
    """A JSON-RPC call of wifimgr version whose whole text is nested ``levels`` deep."""
    inner = "[" * (levels - 3) + "]" * (levels - 3)
    return ('{"jsonrpc":"2.0","id":1,"method":"call","params":["' + "0" * 32 +
            '","wifimgr","version",{"x":' + inner + "}]}").encode()


@pytest.mark.parametrize(("headers", "status"), [
    ({"Content-Length": "-1"}, 400),
    ({"Content-Length": "12abc"}, 400),
    ({"Content-Length": "99999999999"}, 400),                    # past INT_MAX
    ({"Content-Length": ["2", "2"]}, 400),
    ({"Content-Length": "2", "Transfer-Encoding": "chunked"}, 400),
    ({"Transfer-Encoding": "chunked"}, 411),
])
def test_bad_framing_is_refused(server, headers, status):
    _app, base = server
    lines = ["POST /ubus HTTP/1.1", "Host: x"]
    for k, v in headers.items():
        lines += [f"{k}: {x}" for x in (v if isinstance(v, list) else [v])]
    code, _body = raw(base, ("\r\n".join(lines) + "\r\n\r\n{}").encode())
    assert code == status


def test_no_content_length_is_no_body(server):
    _app, base = server
    code, body = post(base, b'{"jsonrpc":"2.0","id":1,"method":"list","params":[]}', {})
    assert (code, json.loads(body)) == (200, PARSE_ERROR)


def test_nesting_past_json_c_is_a_parse_error(server):
    _app, base = server
    body = nested_call(33)
    code, reply = post(base, body, {"Content-Length": str(len(body))})
    assert (code, json.loads(reply)) == (200, PARSE_ERROR)
    body = b"[" * 60000
    code, reply = post(base, body, {"Content-Length": str(len(body))})
    assert (code, json.loads(reply)) == (200, PARSE_ERROR)
    body = nested_call(32)       # json-c parses this: past the parser, to the ACL check
    code, reply = post(base, body, {"Content-Length": str(len(body))})
    assert (code, json.loads(reply)["error"]["code"]) == (200, -32002)     # access denied


def _handler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "process_request_thread" in t.name]


def _no_handler_threads_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _handler_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _handler_threads()


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)))


def _wait_closed(sock: socket.socket, within: float) -> float:
    """Seconds until the server closed ``sock`` (fails after ``within``)."""
    start = time.monotonic()
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
    except (ConnectionResetError, BrokenPipeError):
        pass
    return time.monotonic() - start


def test_an_idle_socket_is_closed(server, monkeypatch):
    from wifimgr.devserver.server import Handler

    monkeypatch.setattr(Handler, "timeout", 0.5)
    _app, base = server
    with _connect(base) as s:
        s.sendall(b"POST /ubus HTTP/1.1\r\nContent-Length: 10\r\n\r\n{")   # then silence
        assert _wait_closed(s, 20) < 20
    assert _no_handler_threads_within(20)


def _trickle(s: socket.socket, seconds: float) -> bool:
    """Send a header byte every 0.1 s (never idle) for up to ``seconds``; True once the
    server has cut the connection."""
    stop = time.monotonic() + seconds
    s.sendall(b"POST /ubus HTTP/1.1\r\n")
    s.settimeout(0.1)
    while time.monotonic() < stop:
        try:
            s.sendall(b"X")
            if s.recv(4096) == b"":
                return True
        except (BrokenPipeError, ConnectionResetError):
            return True
        except TimeoutError:
            pass
    return False


@pytest.mark.parametrize(("deadline", "cut"), [(1.0, True), (3600.0, False)],
                         ids=["slowloris-cut-off", "control-without-deadline"])
def test_a_slowloris_client_is_cut_off(server, monkeypatch, deadline, cut):
    from wifimgr.devserver.server import Handler

    monkeypatch.setattr(Handler, "request_deadline", deadline)
    _app, base = server
    with _connect(base) as s:
        # the control: without the deadline it still holds its thread after 1.5 s
        assert _trickle(s, 20 if cut else 1.5) is cut
        if not cut:
            assert _handler_threads()
    if cut:
        assert _no_handler_threads_within(20)
