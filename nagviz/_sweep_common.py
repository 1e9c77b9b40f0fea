"""Argument checks and wording shared by :mod:`nagviz.sweeps` and :mod:`nagviz.atlas`."""

from __future__ import annotations

import numpy as np

from .activation import Activation, InvalidActivationError
from .architecture import Architecture, InvalidArchitectureError

__all__ = ["METHOD", "as_activation", "as_architecture", "check_seed_trials", "positive_ints",
           "readonly", "status_line"]

METHOD = "exact Jacobian rank modulo a prime"


def as_activation(activation) -> Activation:
    """Parse an activation once (parsing a polynomial string costs a sympy call).

    Examples
    --------
    >>> as_activation(3)
    Activation('z^3')
    """
    try:
        return Activation.coerce(activation)
    except InvalidActivationError as exc:
        raise InvalidArchitectureError(str(exc)) from None


def as_architecture(arch, activation=2, bias=False) -> Architecture:
    """``arch`` itself if it is an :class:`Architecture`, else one built from widths.

    Examples
    --------
    >>> as_architecture((3, 2, 1)).widths
    (3, 2, 1)
    """
    if isinstance(arch, Architecture):
        return arch
    return Architecture(arch, activation, bias=bias)


def check_seed_trials(seed, trials) -> None:
    """Refuse a seed that is not an integer and trials that are not positive integers.

    Examples
    --------
    >>> check_seed_trials(0, 0)
    Traceback (most recent call last):
    ...
    ValueError: trials must be a positive integer, got 0
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")


def positive_ints(v, name) -> tuple[int, ...]:
    """An integer or a sequence of integers, as a tuple of positive ints.

    Examples
    --------
    >>> positive_ints(range(2, 4), "d_0"), positive_ints(5, "w")
    ((2, 3), (5,))
    """
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        v = [v]
    try:
        out = tuple(int(x) for x in v)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be an integer or a sequence of integers, got {v!r}") from None
    if not out:
        raise ValueError(f"{name} is empty")
    if any(x < 1 for x in out):
        raise ValueError(f"{name} must contain positive integers, got {out}")
    return out


def readonly(a) -> np.ndarray:
    """``a`` as an array that cannot be written to.

    Examples
    --------
    >>> readonly([1, 2]).flags.writeable
    False
    """
    a = np.asarray(a)
    a.setflags(write=False)
    return a


def status_line(method, prime, seed, trials, certified_all) -> str:
    """The footer of a table of dimensions: method, prime, seed, trials, certainty.

    Examples
    --------
    >>> status_line(METHOD, 7, 0, 2, True).endswith("meets the proven upper bound)")
    True
    """
    status = ("every value certified (it meets the proven upper bound)" if certified_all else
              "values below the expected dimension are the largest rank over the trials: "
              "correct with overwhelming probability")
    return f"{method}, p = {prime}, seed = {seed}, up to {trials} trial(s); {status}"
