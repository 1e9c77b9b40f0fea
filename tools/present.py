"""Serve a notebook as a lecture: Voila, code hidden, large type.

Usage (this is what ``make present NB=...`` runs)::

    python tools/present.py notebooks/01_neuromanifolds.ipynb [--port=8866] [voila options]

It is the same as::

    JUPYTER_PATH=tools/voila python -m voila NOTEBOOK \\
        --template=nagviz-lecture --theme=light --strip_sources=True

except that the server compresses what it sends (:class:`CompressedVoila`): HTTP
responses with gzip (tornado's ``compress_response``; jupyterlab-plotly's 4.8 MB
chunk travels as 1.5 MB) and the kernel's WebSocket messages with permessage-deflate
(``websocket_compression_options``, which jupyter_server's kernel WebSocket reads);
a browser that does not ask for compression gets the bytes as they are.

The ``nagviz-lecture`` template (``tools/voila/voila/templates/nagviz-lecture``)
is Voila's ``lab`` template plus the style sheet ``nagviz-lecture.css``: larger
prose, outputs and widgets, no prompts, one centred column.  Options given
after the notebook are passed to Voila and win over these defaults.

The kernel gets ``NAGVIZ_LECTURE=1280x720`` (a projector; set ``NAGVIZ_LECTURE``
yourself for another screen, e.g. ``1920x1080``): every explorer then puts its
controls in a column beside a figure that fits that screen, with legends, axis
titles and tick labels of at least 18 px (``nagviz.theme.fit_for_lecture``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent / "voila"
TEMPLATE = "nagviz-lecture"
DEFAULT_OPTIONS = (f"--template={TEMPLATE}", "--theme=light", "--strip_sources=True")
#: The screen lecture mode lays explorers out for, unless NAGVIZ_LECTURE says otherwise.
DEFAULT_SCREEN = "1280x720"


def voila_env(env=None):
    """``env`` (default: this process's) with the lecture template on JUPYTER_PATH and
    the lecture screen in NAGVIZ_LECTURE."""
    env = dict(os.environ if env is None else env)
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("NAGVIZ_LECTURE", DEFAULT_SCREEN)  # Voila's kernels inherit it
    return env


#: What :class:`CompressedVoila` adds to tornado's settings (``--Voila.tornado_settings``
#: given on the command line replaces it).
COMPRESSION = {"compress_response": True, "websocket_compression_options": {}}
SERVE = "--serve"  # present.py's own argument: run Voila in this process


def compressed_voila():
    """Voila whose tornado application compresses (see the module docstring).

    Voila applies its ``tornado_settings`` to the application only after creating it,
    when tornado has already chosen its output transforms, so ``compress_response``
    there would be ignored; this subclass adds the gzip transform itself.
    """
    from tornado.web import GZipContentEncoding
    from traitlets import default
    from voila.app import Voila

    class CompressedVoila(Voila):
        @default("tornado_settings")
        def _default_tornado_settings(self):
            return dict(COMPRESSION)

        def listen(self):
            compress = self.tornado_settings.get("compress_response") or self.tornado_settings.get("gzip")
            if compress and GZipContentEncoding not in self.app.transforms:
                self.app.transforms.append(GZipContentEncoding)
            super().listen()

    return CompressedVoila


def voila_argv(notebook, *options):
    """The command line that serves ``notebook``; later ``options`` override the defaults."""
    return [sys.executable, str(Path(__file__).resolve()), SERVE, str(notebook),
            *DEFAULT_OPTIONS, *options]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == SERVE:  # the command voila_argv builds, in the lecture env
        compressed_voila().launch_instance(argv=argv[1:])
        return 0
    if not argv or argv[0] in ("-h", "--help") or argv[0].startswith("-"):
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    notebook, options = Path(argv[0]), argv[1:]
    if not notebook.is_file():
        print(f"no such notebook: {notebook}", file=sys.stderr)
        return 1
    command = voila_argv(notebook, *options)
    # Replace this process, so Ctrl-C and signals reach Voila directly.
    os.execve(command[0], command, voila_env())


if __name__ == "__main__":
    sys.exit(main())
