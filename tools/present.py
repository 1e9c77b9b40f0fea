"""Serve a notebook as a lecture: Voila, code hidden, large type.

Usage (this is what ``make present NB=...`` runs)::

    python tools/present.py notebooks/01_neuromanifolds.ipynb [--port=8866] [voila options]

It is the same as::

    JUPYTER_PATH=tools/voila python -m voila NOTEBOOK \\
        --template=nagviz-lecture --theme=light --strip_sources=True

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


def voila_argv(notebook, *options):
    """The Voila command line for ``notebook``; later ``options`` override the defaults."""
    return [sys.executable, "-m", "voila", str(notebook), *DEFAULT_OPTIONS, *options]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
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
