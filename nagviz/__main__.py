"""The ``nagviz`` command line.

Usage::

    python -m nagviz dim 3,5,1 --degree 4
    python -m nagviz dim 2,2,1 --activation "z^3+z^2" --json
    nagviz dim 2,1,1 3,2,1 3,3,3 --cross-check

Bad input exits with status 2 and a one-line message; an architecture too large to
compute within the limit (``--max-work`` or ``NAGVIZ_MAX_WORK``) is refused at once.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main"]

JSON_KEYS = ("widths", "activation", "parameters", "ambient_dimension", "expected_dimension",
             "dimension", "defect", "filling", "fiber_dimension")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but every error is one line on stderr and exit status 2."""

    def error(self, message):
        raise _UsageError(message)


def _widths(text: str):
    from .architecture import _parse_widths, InvalidArchitectureError

    try:
        return _parse_widths(text)
    except InvalidArchitectureError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _degree(text: str) -> int:
    try:
        r = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the degree must be a whole number >= 1, got {text!r}") from None
    if r < 1:
        raise argparse.ArgumentTypeError(f"the degree must be a whole number >= 1, got {r}")
    return r


def _positive(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nagviz", description="Exact invariants of polynomial neural networks.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    dim = sub.add_parser(
        "dim", help="dimension of the neurovariety of one or more architectures",
        description="Dimension of the neurovariety, computed exactly modulo a large prime.")
    dim.add_argument("widths", nargs="+", type=_widths, metavar="WIDTHS",
                     help="layer widths d_0,...,d_L, e.g. 3,5,1")
    act = dim.add_mutually_exclusive_group()
    act.add_argument("--degree", "-r", type=_degree, default=None,
                     help="monomial activation z^R (default 2; 1 means a linear network)")
    act.add_argument("--activation", "-a", default=None, metavar="POLY",
                     help='a polynomial activation in z, e.g. "z^3+z^2"')
    dim.add_argument("--bias", action="store_true", help="give every layer a bias vector")
    dim.add_argument("--json", action="store_true", help="one JSON object per line")
    dim.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    dim.add_argument("--trials", type=_positive, default=2,
                     help="independent random points when not certified at once (default 2)")
    dim.add_argument("--cross-check", action="store_true",
                     help="also report the floating-point SVD rank and its singular-value gap")
    dim.add_argument("--max-work", type=_positive, default=None,
                     help="refuse architectures above this estimated work (default 1e9, "
                          "or NAGVIZ_MAX_WORK)")
    return parser


def _format_table(results) -> str:
    header = ["widths", "activation", "params", "ambient", "expected", "dim", "defect",
              "filling", "fiber"]
    if any(r.float_check is not None for r in results):
        header.append("float rank")
    rows = [header]
    for r in results:
        d = r.to_dict()
        rows.append([",".join(map(str, d["widths"])), d["activation"], str(d["parameters"]),
                     str(d["ambient_dimension"]), str(d["expected_dimension"]),
                     str(d["dimension"]), str(d["defect"]), "yes" if d["filling"] else "no",
                     str(d["fiber_dimension"])])
        if r.float_check is not None:
            rows[-1].append(str(r.float_check.rank)
                            + ("" if r.float_agrees else " (DISAGREES)"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def _run_dim(args) -> int:
    from .architecture import Architecture, InvalidArchitectureError
    from .dimension import dimension

    activation = args.activation if args.activation is not None else (args.degree or 2)
    archs = []
    for widths in args.widths:
        try:
            archs.append(Architecture(widths, activation, bias=args.bias))
        except InvalidArchitectureError as exc:
            raise _UsageError(str(exc)) from None
    results = []
    for arch in archs:
        results.append(dimension(arch, seed=args.seed, trials=args.trials,
                                 cross_check=args.cross_check, max_work=args.max_work))
        if args.json:
            print(json.dumps(results[-1].to_dict()), flush=True)
    if not args.json:
        print(_format_table(results))
        uncertain = [r for r in results if not r.certified]
        if uncertain:
            print(f"\nExact ranks modulo p = {results[0].prime}. Rows below the expected dimension "
                  f"are the largest rank over {args.trials} random trials (correct with "
                  "overwhelming probability).")
    return 0


def main(argv=None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["dim", "3,5,1", "--degree", "4", "--json"])
    {"widths": [3, 5, 1], "activation": "z^4", "parameters": 20, "ambient_dimension": 15, "expected_dimension": 15, "dimension": 14, "defect": 1, "filling": false, "fiber_dimension": 6}
    0
    """
    from .dimension import ArchitectureTooLargeError

    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        return _run_dim(args)
    except _UsageError as exc:
        print(f"nagviz: error: {exc}", file=sys.stderr)
        return 2
    except ArchitectureTooLargeError as exc:
        print(f"nagviz: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
