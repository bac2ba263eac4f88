"""Benchmark: resolve 1,000 thumbnails spread over 8 slow local hosts, cold then warm.

Eight threaded HTTP servers listen on 127.0.0.1 … 127.0.0.8 (Linux routes all
of 127.0.0.0/8 to the loopback device) and wait 100 ms before every answer, as
a distant CDN would.  With the default FetchConfig limits (8 threads, 2 per
host) the cold run cannot beat 1000 × 0.1 s / 8 = 12.5 s; the target is 20 s.
The warm run must answer everything from the cache: no request, under 1 s.

    python benchmarks/bench_fetch.py

Exits 1 when a target is missed.  Nothing leaves the machine.
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feeds.config import FetchConfig
from feeds.thumbnails import resolve_thumbnails

HOSTS = [f"127.0.0.{n}" for n in range(1, 9)]
URLS = 1000
DELAY = 0.1
COLD_TARGET = 20.0
WARM_TARGET = 1.0
JPEG = (Path(__file__).resolve().parent.parent / "tests" / "data" / "images" / "baseline.jpg").read_bytes()


class _Slow(BaseHTTPRequestHandler):
    """Serves /img/N.jpg after DELAY; honours Range with 206 and Content-Range, as a CDN does."""

    protocol_version = "HTTP/1.1"  # keep-alive, so the client can reuse its connections
    disable_nagle_algorithm = True  # headers and body go in two writes; Nagle would hold the body ~40 ms
    served = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        time.sleep(DELAY)
        with _Slow.lock:
            _Slow.served += 1
        if not re.fullmatch(r"/img/\d+\.jpg", self.path):
            self._answer(404, b"not found", {"Content-Type": "text/plain"})
            return
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if not m:
            self._answer(200, JPEG, {"Content-Type": "image/jpeg"})
            return
        start, end = int(m.group(1)), int(m.group(2))
        part = JPEG[start : end + 1]
        headers = {
            "Content-Type": "image/jpeg",
            "Content-Range": f"bytes {start}-{start + len(part) - 1}/{len(JPEG)}",
        }
        self._answer(206, part, headers)

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> int:
    servers = [ThreadingHTTPServer((host, 0), _Slow) for host in HOSTS]
    threads = [
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True) for s in servers
    ]
    for t in threads:
        t.start()
    try:
        urls = [f"http://{HOSTS[n % 8]}:{servers[n % 8].server_address[1]}/img/{n}.jpg" for n in range(URLS)]
        config = FetchConfig(enabled=True, allow_private=True)
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "thumbnails.json"
            cold = resolve_thumbnails(urls, config, cache)
            cold_served = _Slow.served
            warm = resolve_thumbnails(urls, config, cache)
            warm_served = _Slow.served - cold_served
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
        for t in threads:
            t.join(timeout=5)
    print(
        f"cold: {cold.seconds:.2f} s, {cold.requests} requests ({cold_served} served), "
        f"{len(cold.images)} resolved, {cold.failed} failed"
    )
    print(
        f"warm: {warm.seconds:.3f} s, {warm.requests} requests ({warm_served} served), "
        f"{warm.cached} from cache"
    )
    ok = (
        len(cold.images) == URLS
        and cold.seconds <= COLD_TARGET
        and warm.requests == 0
        and warm_served == 0
        and warm.seconds < WARM_TARGET
    )
    print(
        "targets met"
        if ok
        else f"TARGETS MISSED (cold ≤ {COLD_TARGET:g} s, warm < {WARM_TARGET:g} s and 0 requests)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
