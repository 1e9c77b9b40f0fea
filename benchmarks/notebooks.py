"""Benchmark: every topic notebook's run-all time, saved size, and notebook 05's Voila bytes.

For each ``notebooks/NN_*.ipynb``:

* **cold**: restart-and-run-all in a fresh ``python3`` kernel with an empty nagviz cache
  (``NAGVIZ_CACHE_DIR`` points at a new temporary folder), timed from kernel start to
  the end of the last cell;
* **warm**: the same again with the cache the cold run filled;
* **saved**: the bytes of the executed notebook written WITH its widget state, as
  JupyterLab saves it (``metadata.widgets["application/vnd.jupyter.widget-state+json"]``,
  binary buffers base64-encoded); nbclient's ``store_widget_state`` collects that state
  from the kernel's comm messages. ``state`` is the part of it that is widget state.

For notebook 05, **voila** is the bytes a browser receives for one Voila page
(``tools/present.py``, what ``make present`` serves), until every cell is rendered and
every widget shows a view: the bytes on the wire, counted by a small TCP proxy between
Chromium and Voila (:class:`ByteCountingProxy`, server to browser, after compression).
Playwright's own account is printed beside it: every HTTP response (headers and body as
sent, so compressed) plus every WebSocket frame from the server (widget models travel
that way; Playwright reports these decompressed). It needs Chromium at
/usr/bin/chromium and playwright; without them it is skipped with a message.

    python benchmarks/notebooks.py                 # table, misses flagged
    python benchmarks/notebooks.py --only 05       # notebooks whose name contains 05
    python benchmarks/notebooks.py --no-voila --json

Targets (issue 15): cold < 10 s, warm < 5 s, saved < 3 MB, Voila page < 8 MB
(MB = 10^6 bytes). Times are wall-clock seconds on whatever machine runs this; on a
shared machine compare before and after in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
VOILA_NOTEBOOK = "05"
MB = 1_000_000
VOILA_TIMEOUT_S = 600  # bytes, not time, are measured here: a loaded machine may take long
TARGETS = {"cold_s": 10.0, "warm_s": 5.0, "saved_bytes": 3 * MB, "voila_bytes": 8 * MB}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def topic_notebooks(only: str | None = None) -> list[Path]:
    """``notebooks/NN_*.ipynb`` in order, those containing ``only`` if given."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in paths if only is None or only in p.name]


def run_notebook(path: Path, cache_dir: Path, timeout: float = 600):
    """Execute ``path`` in a fresh kernel; return (seconds, executed notebook)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    env = dict(os.environ, NAGVIZ_CACHE_DIR=str(cache_dir), PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.setdefault("PYTHONPATH", str(REPO_ROOT))
    start = time.perf_counter()
    client.execute(env=env)
    return time.perf_counter() - start, nb


def saved_sizes(nb) -> tuple[int, int]:
    """(bytes of the notebook file as saved, bytes of its widget-state metadata)."""
    import nbformat

    text = nbformat.writes(nb)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    state_bytes = len(json.dumps(state).encode()) if state else 0
    return len(text.encode()), state_bytes


class ByteCountingProxy:
    """A loopback TCP proxy to ``127.0.0.1:port`` that counts the bytes the server sends.

    Every connection a browser opens to ``self.port`` is relayed to the server, byte
    for byte; ``server_bytes`` is what came back, as it travelled (compressed or not).

    Examples
    --------
    >>> import http.server
    >>> server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    >>> threading.Thread(target=server.handle_request, daemon=True).start()
    >>> with ByteCountingProxy(server.server_address[1]) as proxy:
    ...     with socket.create_connection(("127.0.0.1", proxy.port)) as browser:
    ...         browser.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
    ...         received = b"".join(iter(lambda: browser.recv(65536), b""))
    >>> server.server_close()
    >>> received.startswith(b"HTTP/1.0 200"), proxy.server_bytes == len(received), proxy.connections
    (True, True, 1)
    """

    def __init__(self, port: int):
        self.upstream = ("127.0.0.1", int(port))
        self.server_bytes = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source, sink, count):
        try:
            while data := source.recv(65536):
                if count:
                    with self._lock:
                        self.server_bytes += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def voila_page_bytes(path: Path, cache_dir: Path) -> tuple[int | None, str]:
    """(bytes a browser receives for a Voila page of ``path``, how they split) or (None, why)."""
    sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
    try:
        import browser_harness as bh
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return None, f"skipped: {exc}"
    if not bh.CHROMIUM.exists():
        return None, f"skipped: no Chromium at {bh.CHROMIUM}"
    counts = {"http": 0, "ws": 0, "responses": 0, "frames": 0}
    largest = []  # (bytes, path) of every response, to name the biggest

    def on_request_finished(request):
        try:
            sizes = request.sizes()
        except Exception:  # the page went away first
            return
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        counts["http"] += size
        counts["responses"] += 1
        largest.append((size, request.url.split("?")[0].rsplit("/", 1)[-1] or "the page"))

    def on_frame(payload):
        counts["ws"] += len(payload.encode() if isinstance(payload, str) else payload)
        counts["frames"] += 1

    with tempfile.TemporaryDirectory(prefix="nagviz-voila-bench-") as home:
        old = os.environ.get("NAGVIZ_CACHE_DIR")
        os.environ["NAGVIZ_CACHE_DIR"] = str(cache_dir)  # the kernel inherits the server's env
        try:
            server, url = bh.start_voila(path, Path(home))
        finally:
            if old is None:
                os.environ.pop("NAGVIZ_CACHE_DIR")
            else:
                os.environ["NAGVIZ_CACHE_DIR"] = old
        proxy = ByteCountingProxy(int(url.rsplit(":", 1)[1].strip("/")))
        url = f"http://127.0.0.1:{proxy.port}/"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS)
                try:
                    page = browser.new_page()
                    page.on("requestfinished", on_request_finished)
                    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
                    # Voila runs the notebook while it sends the page
                    page.goto(url, wait_until="domcontentloaded", timeout=VOILA_TIMEOUT_S * 1000)
                    bh.voila_wait_rendered(page, timeout=VOILA_TIMEOUT_S)
                    bh.voila_wait_for_widgets(page)
                    page.wait_for_load_state("networkidle")
                    time.sleep(1.0)  # late frames (figure updates) still count
                finally:
                    browser.close()
        finally:
            proxy.close()
            server.stop()
    wire = proxy.server_bytes
    how = (f"on the wire {wire / MB:.2f} MB (server to browser, {proxy.connections} connections); "
           f"Playwright: {(counts['http'] + counts['ws']) / MB:.2f} MB = "
           f"{counts['http'] / MB:.1f} MB in {counts['responses']} HTTP responses (as sent) + "
           f"{counts['ws'] / MB:.1f} MB in {counts['frames']} WebSocket frames (decompressed); "
           "largest responses: "
           + ", ".join(f"{name} {size / MB:.2f} MB" for size, name in sorted(largest, reverse=True)[:3]))
    return wire, how


def measure(path: Path, voila: bool, runs: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="nagviz-bench-cache-") as cache:
        cache_dir = Path(cache)
        row = {"notebook": path.name, "cold_s": None, "warm_s": None,
               "saved_bytes": None, "state_bytes": None}
        if runs:
            row["cold_s"], _ = run_notebook(path, cache_dir)
            row["warm_s"], nb = run_notebook(path, cache_dir)
            row["saved_bytes"], row["state_bytes"] = saved_sizes(nb)
        if voila:
            try:
                row["voila_bytes"], row["voila_detail"] = voila_page_bytes(path, cache_dir)
            except Exception as exc:  # a broken page is a finding, not the end of the table
                row["voila_bytes"], row["voila_detail"] = None, f"failed: {type(exc).__name__}: {exc}"[:500]
    return row


def misses(row: dict) -> list[str]:
    return [key for key, limit in TARGETS.items() if row.get(key) is not None and row[key] >= limit]


def print_table(rows: list[dict]) -> None:
    print(f"{'notebook':32} {'cold s':>7} {'warm s':>7} {'saved MB':>9} {'state MB':>9} {'Voila MB':>9}  misses")
    def cell(value, width, scale=1.0, digits=1):
        return f"{value / scale:{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

    for row in rows:
        flagged = ", ".join(misses(row)) or "-"
        print(f"{row['notebook']:32} {cell(row['cold_s'], 7)} {cell(row['warm_s'], 7)} "
              f"{cell(row['saved_bytes'], 9, MB, 2)} {cell(row['state_bytes'], 9, MB, 2)} "
              f"{cell(row.get('voila_bytes'), 9, MB, 2)}  {flagged}")
        if row.get("voila_detail"):
            print(f"{'':32} Voila: {row['voila_detail']}")
    print(f"targets: cold < {TARGETS['cold_s']:.0f} s, warm < {TARGETS['warm_s']:.0f} s, "
          f"saved < {TARGETS['saved_bytes'] / MB:.0f} MB, Voila page < {TARGETS['voila_bytes'] / MB:.0f} MB "
          f"(MB = 10^6 bytes)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only notebooks whose file name contains this")
    parser.add_argument("--no-voila", action="store_true", help="skip the Voila page of notebook 05")
    parser.add_argument("--voila-only", action="store_true",
                        help="only notebook 05's Voila page (no run-all timings or sizes)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    if args.voila_only and args.no_voila:
        parser.error("--voila-only and --no-voila exclude each other")
    paths = topic_notebooks(VOILA_NOTEBOOK if args.voila_only else args.only)
    if not paths:
        parser.error(f"no topic notebook matches {args.only!r}")
    rows = []
    for path in paths:
        voila = not args.no_voila and path.name.startswith(VOILA_NOTEBOOK)
        rows.append(measure(path, voila, runs=not args.voila_only))
        if not args.json:
            print(f"  measured {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
