"""The ``nagviz`` command line.

Usage::

    python -m nagviz dim 3,5,1 --degree 4
    python -m nagviz dim 2,2,1 --activation "z^3+z^2" --json
    nagviz dim 2,1,1 3,2,1 3,3,3 --cross-check
    python -m nagviz table --d0 2:6 --d1 1:8 --degree 3
    python -m nagviz table --d0 2:5 --d1 1:15 --degree 4 --quantity defect --format csv
    python -m nagviz table --widths 3,3,3,1 2,1,2,1 --degree 1:6

``table`` prints a dimension atlas: the shallow networks ``(d_0, d_1, outputs)`` over a
grid (``--hidden-layers H`` repeats the hidden width), or, with ``--widths``, the listed
architectures against a range of activation degrees. Ranges are inclusive: ``2:6``
means 2, 3, 4, 5, 6; ``2:10:2`` and ``2,3,5`` work too. The numbers are those of
:mod:`nagviz.atlas` (same seed, same trials), so a lecturer's table matches the notebook.

Bad input exits with status 2 and a one-line message (long inputs quoted shortened),
within a second: a negative seed, ``inf`` or ``nan`` for a count, an unreadable
``NAGVIZ_MAX_WORK``, more than 1000 layers, an activation that the prime ``2^31 - 1``
would change. An architecture too large to compute within the limit (``--max-work`` or
``NAGVIZ_MAX_WORK``) is refused at once, and so is a table with more than
``--max-cells`` cells or too much total work. Counts beyond 64-bit integers are printed
exactly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from ._quote import QUOTE_LIMIT, quote

__all__ = ["main"]

JSON_KEYS = ("widths", "activation", "parameters", "ambient_dimension", "expected_dimension",
             "dimension", "defect", "filling", "fiber_dimension")


class _UsageError(Exception):
    pass


#: the longest error message printed (a message quoting a huge input is cut here)
_MAX_MESSAGE = 600


def _one_line(message) -> str:
    """A message on one line, with long words (argparse quotes inputs whole) shortened.

    Examples
    --------
    >>> _one_line("unrecognized arguments: --" + "x" * 5000 + "\n")
    'unrecognized arguments: --xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (5,002 characters)'
    """
    words = []
    for word in str(message).split():
        if len(word) > QUOTE_LIMIT + 20:
            word = f"{word[:QUOTE_LIMIT]}... ({len(word):,} characters)"
        words.append(word)
    text = " ".join(words)
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE - 3] + "..."


def _big(n: int) -> str:
    """A large integer in scientific notation, also beyond the range of floats."""
    if n.bit_length() < 1000:
        return f"{n:.2e}"
    return f"about 10^{int((n.bit_length() - 1) * math.log10(2))}"


class _Parser(argparse.ArgumentParser):
    """argparse, but every error is one line on stderr and exit status 2."""

    def error(self, message):
        raise _UsageError(message)


def _widths(text: str):
    from .architecture import InvalidArchitectureError, parse_widths

    try:
        return parse_widths(text)
    except InvalidArchitectureError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _whole_number(text: str, what: str, low: int, high: int | None = None,
                  floats: bool = False) -> int:
    """``text`` as an integer in ``[low, high]``; ``1e9`` is accepted when ``floats``."""
    raw = text.strip().replace("_", "")
    value = None
    if len(raw) <= 40:
        try:
            value = int(raw)
        except ValueError:
            if floats:
                try:
                    number = float(raw)
                except ValueError:
                    number = math.nan
                if math.isfinite(number) and number.is_integer():
                    value = int(number)
    limits = f">= {low}" if high is None else f"between {low} and {high:,}"
    if value is None:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number {limits}, got "
                                         f"{quote(text)}")
    if value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"{what} must be a whole number {limits}, got "
                                         f"{quote(value)}")
    return value


def _degree(text: str) -> int:
    return _whole_number(text, "the degree", 1)


def _positive(text: str) -> int:
    return _whole_number(text, "the value", 1, floats=True)


def _seed(text: str) -> int:
    return _whole_number(text, "the seed", 0, 2**64 - 1)


def _work_limit(text: str) -> int:
    return _whole_number(text, "the work limit", 1, 10**30, floats=True)


def _trials(text: str) -> int:
    return _whole_number(text, "the number of trials", 1, 1000, floats=True)


def _hidden_layers(text: str) -> int:
    from .architecture import MAX_LAYERS

    return _whole_number(text, "the number of hidden layers", 1, MAX_LAYERS - 1)


def _int_range(text: str) -> tuple[int, ...]:
    """``"3"``, ``"2:6"`` (inclusive), ``"2:10:2"`` or ``"2,3,5"`` as a tuple of positive ints."""
    msg = (f"expected a positive whole number, an inclusive range like 2:6 (or 2:10:2) or a "
           f"list like 2,3,5; got {quote(text)}")
    text = text.strip()
    parts = text.split(":") if ":" in text else text.split(",")
    if len(parts) > 10_000 or any(len(p.strip()) > 18 for p in parts):
        raise argparse.ArgumentTypeError(msg if len(parts) <= 10_000 else
                                         f"{quote(text)} has more than 10000 values")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(msg) from None
    if ":" in text:
        if len(numbers) not in (2, 3) or (len(numbers) == 3 and numbers[2] < 1):
            raise argparse.ArgumentTypeError(msg)
        low, high = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) == 3 else 1
        if high >= low and (high - low) // step + 1 > 10_000:
            raise argparse.ArgumentTypeError(f"the range {quote(text)} has more than 10000 values")
        values = tuple(range(low, high + 1, step))
    else:
        values = tuple(numbers)
    if not values:
        raise argparse.ArgumentTypeError(f"the range {quote(text)} is empty; write it low:high")
    if min(values) < 1:
        raise argparse.ArgumentTypeError(f"{quote(text)} contains {min(values)}; widths and "
                                         "degrees are whole numbers >= 1")
    return values


def _env_max_work() -> int | None:
    """``NAGVIZ_MAX_WORK``, checked here so that a bad value is one line, not a traceback."""
    value = os.environ.get("NAGVIZ_MAX_WORK")
    if not value or not value.strip():
        return None
    try:
        return _work_limit(value)
    except argparse.ArgumentTypeError as exc:
        raise _UsageError(f"NAGVIZ_MAX_WORK: {exc}") from None


TABLE_QUANTITIES = ("dimension", "defect", "expected", "ambient", "parameters", "fiber",
                    "filling")


def _add_table_parser(sub) -> None:
    table = sub.add_parser(
        "table", help="a dimension atlas: a grid of architectures, as text, CSV or JSON",
        description="A dimension atlas, computed exactly: shallow networks (d_0, d_1, outputs) "
                    "over a grid, or listed architectures against the activation degree.")
    mode = table.add_argument_group("what to tabulate (a grid, or a list of widths)")
    mode.add_argument("--d0", type=_int_range, metavar="RANGE",
                      help="input widths d_0 (rows), e.g. 2:6")
    mode.add_argument("--d1", type=_int_range, metavar="RANGE",
                      help="hidden widths d_1 (columns), e.g. 1:8")
    mode.add_argument("--hidden-layers", type=_hidden_layers, default=1, metavar="H",
                      help="hidden layers of width d_1 (default 1: shallow networks)")
    mode.add_argument("--outputs", type=_positive, default=1, metavar="K",
                      help="output width (default 1)")
    mode.add_argument("--widths", nargs="+", type=_widths, metavar="WIDTHS",
                      help="instead of a grid: these architectures (rows) against --degree "
                           "(columns)")
    act = table.add_mutually_exclusive_group()
    act.add_argument("--degree", "-r", type=_int_range, default=None, metavar="R",
                     help="activation z^R (default 2); with --widths a range such as 1:6")
    act.add_argument("--activation", "-a", default=None, metavar="POLY",
                     help='a polynomial activation in z, e.g. "z^3+z^2"')
    table.add_argument("--bias", action="store_true", help="give every layer a bias vector")
    table.add_argument("--quantity", "-q", choices=TABLE_QUANTITIES, default="dimension",
                       help="what the cells show in text and CSV (default dimension)")
    table.add_argument("--format", "-f", choices=("text", "csv", "json"), default="text",
                       help="text (default), csv (the grid of --quantity) or json (one object "
                            "per architecture, the keys of `dim --json`)")
    table.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    table.add_argument("--trials", type=_trials, default=2,
                       help="independent random points when not certified at once (default 2)")
    table.add_argument("--max-work", type=_work_limit, default=None,
                       help="refuse architectures above this estimated work (default 1e9, "
                            "or NAGVIZ_MAX_WORK)")
    table.add_argument("--max-cells", type=_positive, default=400,
                       help="refuse tables with more cells than this (default 400)")
    table.add_argument("--cache-dir", default=None, metavar="DIR",
                       help="keep computed dimensions in DIR (JSON) for the next run")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nagviz", description="Exact invariants of polynomial neural networks.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    dim = sub.add_parser(
        "dim", help="dimension of the neurovariety of one or more architectures",
        description="Dimension of the neurovariety, computed exactly modulo a large prime.",
        epilog="Other network families, with the same JSON keys: "
               "'dim --cnn 3,2,4 [--strides 1,1,1] [--input-length N] [--degree R | --activation "
               "POLY]' (a 1-D convolutional network with these filter sizes; linear unless told "
               "otherwise) and 'dim --attention L,D,A [--tokens T]' (lightning self-attention: "
               "layers, token dimension, attention dimension).")
    dim.add_argument("widths", nargs="+", type=_widths, metavar="WIDTHS",
                     help="layer widths d_0,...,d_L, e.g. 3,5,1")
    act = dim.add_mutually_exclusive_group()
    act.add_argument("--degree", "-r", type=_degree, default=None,
                     help="monomial activation z^R (default 2; 1 means a linear network)")
    act.add_argument("--activation", "-a", default=None, metavar="POLY",
                     help='a polynomial activation in z, e.g. "z^3+z^2"')
    dim.add_argument("--bias", action="store_true", help="give every layer a bias vector")
    dim.add_argument("--json", action="store_true", help="one JSON object per line")
    dim.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    dim.add_argument("--trials", type=_trials, default=2,
                     help="independent random points when not certified at once (default 2)")
    dim.add_argument("--cross-check", action="store_true",
                     help="also report the floating-point SVD rank and its singular-value gap")
    dim.add_argument("--max-work", type=_work_limit, default=None,
                     help="refuse architectures above this estimated work (default 1e9, "
                          "or NAGVIZ_MAX_WORK)")
    _add_table_parser(sub)
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
    from .jacobian_rank import dimension

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


def _table_cells(values, quantity):
    """Strings for a grid of one quantity (numbers, or yes/no for filling)."""
    if quantity == "filling":
        return [["yes" if v else "no" for v in row] for row in values]
    return [[str(int(v)) for v in row] for row in values]


_QUANTITY_KEY = {"dimension": "dimension", "defect": "defect", "expected": "expected_dimension",
                 "ambient": "ambient_dimension", "parameters": "parameters",
                 "fiber": "fiber_dimension", "filling": "filling"}


def _run_table(args) -> int:
    import csv
    import io

    from .architecture import Architecture, InvalidArchitectureError
    from .atlas import format_grid, grid_atlas, sweep

    grid_mode = args.d0 is not None or args.d1 is not None
    if grid_mode and args.widths:
        raise _UsageError("give either --d0/--d1 (a grid) or --widths (a list), not both")
    if not grid_mode and not args.widths:
        raise _UsageError("say what to tabulate: --d0 RANGE --d1 RANGE, or --widths W1 W2 ...")
    if grid_mode and (args.d0 is None or args.d1 is None):
        raise _UsageError("a grid needs both --d0 and --d1, e.g. --d0 2:6 --d1 1:8")
    if args.activation is not None:
        activations = [args.activation]
    else:
        activations = list(args.degree or (2,))
    if grid_mode and len(activations) > 1:
        raise _UsageError(f"a grid takes one degree, got {len(activations)}; use --widths to "
                          "tabulate against a range of degrees")

    if grid_mode:
        n_cells = len(args.d0) * len(args.d1)
    else:
        n_cells = len(args.widths) * len(activations)
    if n_cells > args.max_cells:
        raise _UsageError(f"the table has {n_cells} cells, more than --max-cells "
                          f"{args.max_cells}; narrow the ranges or raise --max-cells")
    cache_dir = args.cache_dir if args.cache_dir is not None else False

    if grid_mode:
        hidden, outputs = args.hidden_layers, args.outputs
        try:
            Architecture((1, 1), activations[0])
        except InvalidArchitectureError as exc:
            raise _UsageError(str(exc)) from None
        pattern = ", ".join(["d_1"] * hidden) if hidden <= 4 else f"d_1 (x {hidden})"
        atlas = grid_atlas(lambda d0, d1: (d0,) + (d1,) * hidden + (outputs,), args.d0,
                           args.d1, activations[0], bias=args.bias, row_label="d_0",
                           column_label="d_1", description=f"widths (d_0, {pattern}, {outputs})",
                           seed=args.seed, trials=args.trials, cache_dir=cache_dir,
                           max_work=args.max_work)
        records = atlas.to_records()
        values = atlas.quantity(args.quantity)
        corner, rows, cols = "d_0 \\ d_1", atlas.row_values, atlas.column_values
        defect = atlas.defect
        title = (f"{args.quantity} of the neurovariety, {atlas.description}, activation "
                 f"{atlas.activation}" + (", with biases" if args.bias else ""))
        footer = atlas.footer()
    else:
        archs = []
        try:
            for widths in args.widths:
                archs.append([Architecture(widths, a, bias=args.bias) for a in activations])
        except InvalidArchitectureError as exc:
            raise _UsageError(str(exc)) from None
        flat = [a for row in archs for a in row]
        result = sweep(flat, seed=args.seed, trials=args.trials, cache_dir=cache_dir,
                       max_work=args.max_work)
        records = result.to_records()
        shape = (len(archs), len(activations))
        key = _QUANTITY_KEY[args.quantity]
        values = [[records[i * shape[1] + j][key] for j in range(shape[1])]
                  for i in range(shape[0])]
        defect = [[records[i * shape[1] + j]["defect"] for j in range(shape[1])]
                  for i in range(shape[0])]
        corner = "widths \\ activation"
        rows = [",".join(map(str, row[0].widths)) for row in archs]
        cols = [str(a.activation) for a in archs[0]]
        title = f"{args.quantity} of the neurovariety" + (", with biases" if args.bias else "")
        certified = all(r.certified for r in result)
        footer = (f"{result.method}, p = {result.prime}, seed = {args.seed}, up to "
                  f"{args.trials} trial(s); " + ("every value certified" if certified else
                                                 "values below the expected dimension are the "
                                                 "largest rank over the trials"))

    if args.format == "json":
        for rec in records:
            print(json.dumps(rec))
        return 0
    cells = _table_cells(values, args.quantity)
    if args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([corner] + [str(c) for c in cols])
        for name, row in zip(rows, cells):
            writer.writerow([str(name)] + row)
        print(buf.getvalue(), end="")
        return 0
    star = [[d > 0 for d in row] for row in defect]
    print(title)
    print(format_grid(corner, rows, cols, cells, star))
    if any(any(row) for row in star):
        print("* below the expected dimension (defective)")
    print(footer)
    return 0


def main(argv=None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["dim", "3,5,1", "--degree", "4", "--json"])
    {"widths": [3, 5, 1], "activation": "z^4", "parameters": 20, "ambient_dimension": 15, "expected_dimension": 15, "dimension": 14, "defect": 1, "filling": false, "fiber_dimension": 6}
    0
    >>> main(["table", "--d0", "2:3", "--d1", "1:3", "--format", "csv"])
    d_0 \\ d_1,1,2,3
    2,2,3,3
    3,3,5,6
    0
    """
    from ._cli_families import handles, run as run_family

    if handles(sys.argv[1:] if argv is None else argv):   # dim --cnn / --attention
        return run_family(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.max_work is None:
            args.max_work = _env_max_work()
        if args.command == "table":
            return _run_table(args)
        return _run_dim(args)
    except (_UsageError, ValueError) as exc:
        # ValueError covers every refusal of the library (bad architecture or activation,
        # too large to compute): all of them are the user's input, said in one line
        print(f"nagviz: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nagviz: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
