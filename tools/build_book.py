"""Build the course website into ``build/site/`` (this is what ``make book`` runs).

Usage::

    python tools/build_book.py                 # every notebook, exercise and solution
    python tools/build_book.py --only notebooks/00_start_here.ipynb   # some pages only
    python tools/build_book.py --out DIR       # another output folder

Steps: copy the book sources (``book/``), ``notebooks/`` and ``exercises/`` into a staging
folder ``build/book-src/``; write the table of contents from the notebooks found (topic
notebooks, then student copies, then solutions, each in file-name order); run Jupyter
Book 1 (Sphinx + MyST-NB, offline), which executes every page in a fresh kernel; move the
HTML to ``build/site/``; then check the result: no page loads a script, style sheet or font
from the network, and the size of each page (HTML plus the figures written into it) is
printed. The exit status is non-zero when the build or a check fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
PAGE_LIMIT_BYTES = 8 * 1024 * 1024
# a tag that makes the browser fetch something from another host when the page opens
_REMOTE = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["'](https?:)?//""",
                     re.IGNORECASE)


def notebook_pages(root: Path = ROOT) -> dict[str, list[str]]:
    """The pages of the site, by part: ``{"Notebooks": [...], ...}`` (paths without suffix)."""
    def stems(pattern):
        return [p.relative_to(root).with_suffix("").as_posix() for p in sorted(root.glob(pattern))]

    return {
        "Notebooks": stems("notebooks/[0-9]*.ipynb"),
        "Exercises (student copies)": stems("exercises/[0-9]*.ipynb"),
        "Solutions": stems("exercises/solutions/[0-9]*.ipynb"),
    }


def table_of_contents(parts: dict[str, list[str]]) -> str:
    """``_toc.yml`` text for Jupyter Book 1."""
    lines = ["# written by tools/build_book.py", "format: jb-book", "root: index", "parts:"]
    for caption, files in parts.items():
        if not files:
            continue
        lines += [f"  - caption: {caption}", "    chapters:"]
        lines += [f"      - file: {f}" for f in files]
    return "\n".join(lines) + "\n"


def stage(staging: Path, only: list[str] | None) -> dict[str, list[str]]:
    """Copy the sources into ``staging`` and write its table of contents."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for item in BOOK.iterdir():
        shutil.copy2(item, staging / item.name)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.py")
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, staging / folder, ignore=ignore)
    parts = notebook_pages()
    if only:
        wanted = {Path(o).with_suffix("").as_posix() for o in only}
        parts = {k: [f for f in v if f in wanted] for k, v in parts.items()}
        missing = wanted - {f for v in parts.values() for f in v}
        if missing:
            raise SystemExit(f"no such notebook: {', '.join(sorted(missing))}")
    (staging / "_toc.yml").write_text(table_of_contents(parts))
    return parts


def remote_references(html_dir: Path) -> list[str]:
    """``page: tag`` for every tag that would fetch from the network."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        for match in _REMOTE.finditer(page.read_text(errors="replace")):
            found.append(f"{page.relative_to(html_dir)}: {match.group(0)[:80]}")
    return found


def build(out: Path, only: list[str] | None = None, quiet: bool = False) -> int:
    staging = ROOT / "build" / "book-src"
    parts = stage(staging, only)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    env.setdefault("NAGVIZ_DISPLAY", "static")  # no live kernel behind the pages
    start = time.perf_counter()
    cmd = [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())",
           "build", str(staging), "--builder", "html", "--keep-going"]
    result = subprocess.run(cmd, env=env, capture_output=quiet, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        if quiet:
            print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
        print(f"jupyter-book failed after {seconds:.0f} s", file=sys.stderr)
        return result.returncode
    html = staging / "_build" / "html"
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(html), str(out))
    status = 0
    print(f"\nbuilt {sum(len(v) for v in parts.values())} pages in {seconds:.0f} s: {out}/index.html")
    for files in parts.values():
        for f in files:
            page = out / f"{f}.html"
            size = page.stat().st_size if page.exists() else 0
            flag = "" if 0 < size <= PAGE_LIMIT_BYTES else "   <-- missing or over 8 MB"
            status |= bool(flag)
            print(f"  {size / 1e6:6.2f} MB  {f}.html{flag}")
    remote = remote_references(out)
    if remote:
        status = 1
        print("pages that would load something from the network:", *remote, sep="\n  ")
    return int(status)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--only", nargs="*", help="notebook paths to build (default: all)")
    parser.add_argument("--quiet", action="store_true", help="print Jupyter Book's log only on failure")
    args = parser.parse_args(argv)
    return build(args.out.resolve(), args.only, args.quiet)


if __name__ == "__main__":
    sys.exit(main())
