"""tools/present.py (``make present``) serves Voila compressed: gzip HTTP responses and
permessage-deflate on the kernel WebSocket, the same bytes once decompressed."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("voila")

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tools"))
import present  # noqa: E402


def test_the_command_runs_present_itself_with_the_lecture_defaults():
    argv = present.voila_argv("notebooks/05.ipynb", "--port=9999")
    assert argv[:4] == [sys.executable, str(REPO_ROOT / "tools" / "present.py"), present.SERVE,
                        "notebooks/05.ipynb"]
    assert argv[4:] == [*present.DEFAULT_OPTIONS, "--port=9999"]  # options after win


def test_compression_is_the_default_and_the_command_line_wins():
    cls = present.compressed_voila()
    assert cls().tornado_settings == {"compress_response": True, "websocket_compression_options": {}}
    app = cls()
    app.parse_command_line(["--Voila.tornado_settings={'compress_response': False}"])
    assert app.tornado_settings == {"compress_response": False}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers, response.read()


def test_voila_sends_gzip_and_offers_websocket_compression(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = tmp_path / "tiny.ipynb"
    nbformat.write(nb, notebook)
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "tools" / "present.py"), str(notebook), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                headers, page = _get(base + "/", **{"Accept-Encoding": "gzip"})
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        assert headers["Content-Encoding"] == "gzip"
        page = gzip.decompress(page).decode()
        assert "42" in page  # the notebook ran
        # a static file, compressed and identical once decompressed
        script = re.search(r'src="(/voila/static/[^"?]+\.js)', page).group(1)
        zipped_headers, zipped = _get(base + script, **{"Accept-Encoding": "gzip"})
        _, plain = _get(base + script)
        assert zipped_headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped) == plain and len(zipped) < 0.5 * len(plain)
        # the kernel's WebSocket accepts permessage-deflate
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /api/kernels/{config['kernelId']}/channels HTTP/1.1\r\n"
                   f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
        with socket.create_connection(("127.0.0.1", port), timeout=60) as ws:
            ws.sendall(request.encode())
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += ws.recv(4096)
        head = answer.split(b"\r\n\r\n")[0].decode().lower()
        assert head.startswith("http/1.1 101")
        assert "sec-websocket-extensions: permessage-deflate" in head
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_make_lab_reads_the_compression_config():
    """``make lab`` puts tools/jupyterlab/config on JUPYTER_CONFIG_PATH; the server reads it."""
    make = subprocess.run(["make", "-n", "lab", "LAB_ARGS=--no-browser"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    config_dir = REPO_ROOT / "tools" / "jupyterlab" / "config"
    assert f'JUPYTER_CONFIG_PATH="{config_dir}' in make.stdout
    code = ("from jupyter_server.serverapp import ServerApp\n"
            "app = ServerApp(); app.load_config_file()\n"
            "print(repr((app.tornado_settings, app.websocket_compression_options)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, JUPYTER_CONFIG_PATH=str(config_dir)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == repr(({"compress_response": True}, {}))
