"""``nagviz dim --cnn ...`` and ``nagviz dim --attention ...``: other families on the command line.

The ``dim`` command of :mod:`nagviz.__main__` hands its arguments here when they name a
family other than the MLP (:func:`handles`)::

    python -m nagviz dim --cnn 3,2,4 [--strides 1,1,1] [--input-length N] [--degree R | --activation POLY] --json
    python -m nagviz dim --attention L,D,A [--tokens T] --json

:func:`build_model` turns the options into a :class:`nagviz.model.Model` (raising
:class:`FamilyUsageError` with a one-line message on bad input); :func:`run` computes
the dimension and prints it, as text or as one JSON object with the keys of
:meth:`nagviz.DimensionResult.to_dict` (the model's identity, then the numbers).
Bad input exits with status 2 and one line on stderr, as for MLPs.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["FamilyUsageError", "handles", "build_model", "run"]

FAMILY_FLAGS = ("--cnn", "--attention")


class FamilyUsageError(ValueError):
    """Bad command-line input for a family; the message is one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise FamilyUsageError(message)


def handles(argv) -> bool:
    """Whether ``argv`` (without the program name) is a ``dim`` command for another family.

    Examples
    --------
    >>> handles(["dim", "--cnn", "3,2,4"]), handles(["dim", "3,2,1"]), handles(["table"])
    (True, False, False)
    """
    argv = list(argv)
    return bool(argv) and argv[0] == "dim" and any(
        a == flag or a.startswith(flag + "=") for a in argv[1:] for flag in FAMILY_FLAGS)


def _int_list(text: str, what: str, length: int | None = None) -> tuple[int, ...]:
    parts = text.split(",")
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{what} must be whole numbers separated by commas, got {text!r}") from None
    if length is not None and len(values) != length:
        raise argparse.ArgumentTypeError(f"{what} must be {length} numbers, got {text!r}")
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"{what} must be positive, got {text!r}")
    return values


def _parser() -> _Parser:
    p = _Parser(prog="nagviz dim", add_help=False)
    family = p.add_mutually_exclusive_group(required=True)
    family.add_argument("--cnn", type=lambda t: _int_list(t, "--cnn filter sizes"), metavar="K1,K2,...")
    family.add_argument("--attention", type=lambda t: _int_list(t, "--attention L,D,A", 3),
                        metavar="L,D,A")
    p.add_argument("--strides", type=lambda t: _int_list(t, "--strides"), default=None)
    p.add_argument("--input-length", type=lambda t: _int_list(t, "--input-length", 1)[0], default=None)
    p.add_argument("--tokens", type=lambda t: _int_list(t, "--tokens", 1)[0], default=None)
    act = p.add_mutually_exclusive_group()
    act.add_argument("--degree", "-r", type=lambda t: _int_list(t, "the degree", 1)[0], default=None)
    act.add_argument("--activation", "-a", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--seed", type=lambda t: int(t) if t.isdigit() else _bad_seed(t), default=0)
    p.add_argument("--trials", type=lambda t: _int_list(t, "--trials", 1)[0], default=2)
    p.add_argument("--cross-check", action="store_true")
    p.add_argument("--max-work", type=lambda t: _int_list(t, "--max-work", 1)[0], default=None)
    return p


def _bad_seed(text):
    raise argparse.ArgumentTypeError(f"the seed must be a whole number >= 0, got {text!r}")


def build_model(argv):
    """The model and the parsed options of a family ``dim`` command (``argv`` after ``dim``).

    Examples
    --------
    >>> build_model(["--cnn", "3,2", "--strides", "2,1", "--degree", "2"])[0]
    CNNArchitecture(filter_sizes=(3, 2), activation='z^2', strides=(2, 1))
    >>> build_model(["--attention", "1,3,2", "--tokens", "3"])[0]
    LightningAttention(layers=1, token_dim=3, attention_dim=2, tokens=3)
    >>> build_model(["--attention", "1,3,2", "--strides", "1"])
    Traceback (most recent call last):
    ...
    nagviz._cli_families.FamilyUsageError: --strides, --input-length, --degree and --activation belong to --cnn, not --attention
    """
    from .architecture import InvalidArchitectureError

    args, extra = _parser().parse_known_args(list(argv))
    if extra:
        raise FamilyUsageError(f"unexpected argument(s) {' '.join(extra)}: with --cnn or --attention "
                               "give no widths")
    try:
        if args.cnn is not None:
            if args.tokens is not None:
                raise FamilyUsageError("--tokens belongs to --attention, not --cnn")
            from .cnn import CNNArchitecture

            activation = args.activation if args.activation is not None else (args.degree or 1)
            model = CNNArchitecture(args.cnn, activation, input_length=args.input_length,
                                    strides=args.strides)
        else:
            if any(v is not None for v in (args.strides, args.input_length, args.degree, args.activation)):
                raise FamilyUsageError("--strides, --input-length, --degree and --activation belong "
                                       "to --cnn, not --attention")
            from .attention import LightningAttention

            model = LightningAttention(*args.attention, tokens=args.tokens)
    except InvalidArchitectureError as exc:
        raise FamilyUsageError(str(exc)) from None
    return model, args


def run(argv, out=None, err=None) -> int:
    """Run ``nagviz dim --cnn/--attention ...`` (``argv`` starts with ``"dim"``); the exit status.

    Examples
    --------
    >>> run(["dim", "--cnn", "3,2,4", "--json"])
    {"filter_sizes": [3, 2, 4], "strides": [1, 1, 1], "activation": "z", "input_length": 7, "parameters": 9, "ambient_dimension": 7, "expected_dimension": 7, "dimension": 7, "defect": 0, "filling": true, "fiber_dimension": 2}
    0
    """
    from .jacobian_rank import ArchitectureTooLargeError, dimension

    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    argv = list(argv)
    if argv[:1] == ["dim"]:
        argv = argv[1:]
    try:
        model, args = build_model(argv)
        result = dimension(model, seed=args.seed, trials=args.trials,
                           cross_check=args.cross_check, max_work=args.max_work)
    except (FamilyUsageError, ArchitectureTooLargeError) as exc:
        print(f"nagviz: error: {exc}", file=err)
        return 2
    if args.json:
        print(json.dumps(result.to_dict()), file=out, flush=True)
    else:
        print(repr(result), file=out)
    return 0
