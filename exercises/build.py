"""Generate the exercise notebooks from their sources, and check the reference solutions.

Each ``exercises/source/NN_topic.py`` gives a student copy ``exercises/NN_topic.ipynb``
and a solution copy ``exercises/solutions/NN_topic.ipynb`` (see exercises/README.md).

Usage::

    python exercises/build.py            # (re)write the notebooks
    python exercises/build.py --check    # write nothing; fail on a stale notebook or a failing solution
    python exercises/build.py exercises/source/01_neuromanifolds.py   # one source only

``--check`` also runs every source's solution cells in-process (in order, in a fresh
namespace, in ``exercises/solutions/``) and requires every ``check(...)`` to be green;
``--no-run`` skips that.

Exit status: 0 on success; 1 when ``--check`` finds stale or orphaned notebooks, or a
reference solution that fails, raises or is never checked (each reported as
``path:line: message``); 2 when a source has a mistake (reported the same way).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Run the generator; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="source files to build (default: all)")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a notebook is stale or a solution fails")
    parser.add_argument("--no-run", action="store_true", help="with --check: do not run the reference solutions")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)

    if str(REPO_ROOT) not in sys.path:  # run from a checkout without installing nagviz
        sys.path.insert(0, str(REPO_ROOT))
    from nagviz.exercises._authoring import SourceError, build

    try:
        report = build(
            args.root, check=args.check, sources=args.sources or None, run_solutions=args.check and not args.no_run
        )
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(report)
    if args.check and not report.up_to_date:
        print("\nThe committed notebooks do not match their sources: run `python exercises/build.py`.", file=sys.stderr)
    if report.solutions is not None and not report.solutions.ok:
        failures = "\n".join(str(failure) for failure in report.solutions.failures)
        print(f"\nReference solutions that do not pass:\n{failures}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
