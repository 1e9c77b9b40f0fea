"""The :class:`Architecture` of a polynomial network and what can be counted from it.

A fully connected network with widths ``(d_0, ..., d_L)`` and activation ``sigma``
computes ``f(x) = W_L sigma(W_{L-1} sigma(... sigma(W_1 x + b_1) ...) + b_{L-1}) + b_L``
(biases optional). Its outputs are polynomials in ``d_0`` variables, so its function
space, the neuromanifold, lives in a finite-dimensional space of polynomial maps: the
*ambient space*. Everything here is counting; the true dimension needs the Jacobian
rank computed in :mod:`nagviz.jacobian_rank`.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

import numpy as np

from ._quote import quote
from .activation import Activation, InvalidActivationError
from .cache import memoize
from .model import Model, Unit

__all__ = ["Architecture", "InvalidArchitectureError", "monomial_exponents", "parse_widths",
           "jacobian_minor_degree", "symbolic_expansion_work", "MAX_LAYERS", "MAX_WIDTH"]


class InvalidArchitectureError(ValueError):
    """Widths or options that do not describe a network; the message says how to fix them."""


#: the most linear layers a network may have
MAX_LAYERS = 1000
#: the widest layer accepted
MAX_WIDTH = 10**6
#: :meth:`Architecture.monomials` refuses to list more exponent vectors than this
MAX_LISTED_MONOMIALS = 500_000
#: :attr:`Architecture.output_degrees` refuses to list more degrees than this
MAX_LISTED_DEGREES = 100_000
_MAX_COUNT_BITS = 20_000  # refuse to count more than ~10^6000 monomials
_MAX_SUMMED_DEGREES = 1_000_000  # degrees summed one by one when not a closed form
_MAX_DEGREE_WORK = 150_000  # pairs of intervals added up to find the degree set


def _width(w, widths) -> int:
    if isinstance(w, bool) or not isinstance(w, (Integral, np.integer)):
        if isinstance(w, (float, np.floating)) and math.isfinite(w) and float(w).is_integer():
            w = int(w)
        else:
            raise InvalidArchitectureError(
                f"every width must be a positive integer, got {quote(w)} in {quote(widths)}")
    w = int(w)
    if w < 1:
        raise InvalidArchitectureError(
            f"every width must be at least 1, got {quote(w)} in {quote(widths)};"
            " a layer needs at least one neuron")
    if w > MAX_WIDTH:
        raise InvalidArchitectureError(
            f"a width of {quote(w)} is too large for this companion; use widths <= {MAX_WIDTH:,}")
    return w


def parse_widths(widths) -> tuple[int, ...]:
    """Validated widths ``(d_0, ..., d_L)`` from text like ``"3,5,1"`` or a sequence of ints.

    Refuses (:class:`InvalidArchitectureError`, one line) bytes, unordered collections,
    non-integers, widths below 1 or above :data:`MAX_WIDTH`, and more than
    :data:`MAX_LAYERS` layers (an endless iterator is not read to its end).

    Examples
    --------
    >>> parse_widths(" 3, 5,1")
    (3, 5, 1)
    >>> parse_widths(b"3,2,1")
    Traceback (most recent call last):
    ...
    nagviz.architecture.InvalidArchitectureError: widths must be text like '3,5,1' or a sequence of integers, not bytes (b'3,2,1'); decode the bytes first
    """
    if isinstance(widths, (bytes, bytearray, memoryview)):
        raise InvalidArchitectureError(
            f"widths must be text like '3,5,1' or a sequence of integers, not bytes "
            f"({quote(bytes(widths))}); decode the bytes first")
    if isinstance(widths, (set, frozenset, dict)):
        raise InvalidArchitectureError(
            f"widths must be an ordered sequence like (3, 5, 1), got a {type(widths).__name__}")
    if isinstance(widths, str):
        text = widths.strip()
        if len(text) > 10 * MAX_LAYERS:
            raise InvalidArchitectureError(
                f"widths {quote(widths)} are too long; a network has at most {MAX_LAYERS} layers")
        parts = text.split(",")
        if not text or any(not part.strip() for part in parts):
            raise InvalidArchitectureError(
                f"widths {quote(widths)} have an empty entry; write them like '3,5,1'"
            )
        values = []
        for part in parts:
            part = part.strip()
            if not (part.isascii() and part.isdigit()) and not (
                    part[:1] in "+-" and part[1:].isascii() and part[1:].isdigit()):
                raise InvalidArchitectureError(
                    f"widths {quote(widths)} must be whole numbers separated by commas, "
                    "like '3,5,1'")
            values.append(int(part) if len(part) < 30 else 10**30)
        widths = values
    if isinstance(widths, np.ndarray) and widths.ndim != 1:
        raise InvalidArchitectureError(
            f"widths must be a flat sequence like (3, 5, 1), got an array of shape {widths.shape}")
    try:
        # never read more than MAX_LAYERS + 2 items: an endless iterator must not hang
        items = list(itertools.islice(iter(widths), MAX_LAYERS + 2))
    except TypeError:
        raise InvalidArchitectureError(
            f"widths must be a sequence of positive integers like (3, 5, 1), got {quote(widths)}"
        ) from None
    if len(items) > MAX_LAYERS + 1:
        raise InvalidArchitectureError(
            f"a network may have at most {MAX_LAYERS} layers ({MAX_LAYERS + 1} widths); got "
            f"more, starting {quote(tuple(items[:8]))}")
    out = tuple(_width(w, tuple(items)) for w in items)
    if len(out) < 2:
        raise InvalidArchitectureError(
            f"a network needs an input and an output width, e.g. (3, 1); got {out}"
        )
    return out


_parse_widths = parse_widths  # the name used before parse_widths was public


def monomial_exponents(n_vars: int, degree: int) -> list[tuple[int, ...]]:
    """Exponent vectors of the monomials of one degree, in lexicographically decreasing order.

    This is the coordinate order used everywhere in nagviz: for binary quadratics
    ``a x^2 + b xy + c y^2`` the coordinates are ``(a, b, c)``. Refuses (``ValueError``)
    to list more than :data:`MAX_LISTED_MONOMIALS` vectors.

    Examples
    --------
    >>> monomial_exponents(2, 2)
    [(2, 0), (1, 1), (0, 2)]
    >>> len(monomial_exponents(3, 4)) == math.comb(4 + 2, 2)
    True
    """
    for name, value, low in (("n_vars", n_vars, 1), ("degree", degree, 0)):
        if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {quote(value)}")
    n_vars, degree = int(n_vars), int(degree)
    count = _count_bounded(degree + n_vars - 1, min(degree, n_vars - 1))
    if count > MAX_LISTED_MONOMIALS:
        raise ValueError(
            f"there are {_size_text(count)} monomials of degree {quote(degree)} in {n_vars} "
            f"variables; listing more than {MAX_LISTED_MONOMIALS:,} would exhaust memory")
    out = []
    # sorted multisets of variable indices, in lexicographic order, are exactly the
    # exponent vectors in lexicographically decreasing order
    for combo in itertools.combinations_with_replacement(range(n_vars), degree):
        e = [0] * n_vars
        for i in combo:
            e[i] += 1
        out.append(tuple(e))
    return out


def _size_text(count: int) -> str:
    if count.bit_length() < 64:
        return f"{count:,}"
    return f"about 10^{int((count.bit_length() - 1) * math.log10(2))}"


def _count_bounded(n: int, k: int) -> int:
    """``binom(n, k)``, refusing (InvalidArchitectureError) a number of more than ~6000 digits."""
    k = min(k, n - k) if n >= k else k
    if k < 0 or n < k:
        return 0
    if k * max(n.bit_length(), 1) > _MAX_COUNT_BITS:
        raise InvalidArchitectureError(
            f"binom({quote(n)}, {quote(k)}) monomials are far too many to count; use a "
            "smaller network")
    return math.comb(n, k)


# ----------------------------------------------------------------------------------
# the set of output degrees, with a bound on the work
# ----------------------------------------------------------------------------------
def _merge_runs(runs) -> list[tuple[int, int]]:
    """Sort intervals ``[lo, hi]`` of integers and merge overlapping or adjacent ones."""
    out: list[list[int]] = []
    for lo, hi in sorted(runs):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


@memoize(maxsize=512)
def _degree_progressions(exponents: tuple, bias: bool, depth: int) -> tuple:
    """The output degrees as disjoint increasing ranges ``(start, stop, step)``.

    Layer ``i`` pre-activations have degrees ``S_i``: ``S_1 = {1}`` (``{0, 1}`` with
    biases) and ``S_{i+1} = U_{k in E} k S_i`` (``k``-fold sums; plus ``{0}`` with
    biases), ``E`` the exponents of ``sigma``. Closed forms: with biases ``S_i`` is the
    interval ``[0, r^(i-1)]``; for ``sigma = z^r`` it is ``{r^(i-1)}``. Otherwise all
    of ``S_i`` lies in one residue class modulo ``g = gcd(E - e_0)`` (every ``k`` in
    ``E`` is ``e_0`` mod ``g``), so ``S_i = b_i + g T_i`` with ``b_{i+1} = e_0 b_i`` and
    ``T_{i+1} = U_k ((k - e_0) b_i / g + k T_i)``, computed on lists of intervals (sums
    of sets fill their gaps quickly), with a budget on the pairs of intervals added.
    """
    r = exponents[-1]
    if depth == 1:
        return ((0, 2, 1),) if bias else ((1, 2, 1),)
    if bias:
        return ((0, r ** (depth - 1) + 1, 1),)
    if len(exponents) == 1:
        d = r ** (depth - 1)
        return ((d, d + 1, 1),)
    e0 = exponents[0]
    g = math.gcd(*(e - e0 for e in exponents))
    wanted = set(exponents)
    base, T, work = 1, [(0, 0)], 0
    for _ in range(depth - 1):
        power, new = [(0, 0)], []  # power = k T, starting from 0 T = {0}
        for k in range(r + 1):
            if k:
                work += len(power) * len(T)
                if work > _MAX_DEGREE_WORK:
                    raise InvalidArchitectureError(
                        f"the output degrees of a depth-{depth} network with exponents "
                        f"{exponents} (up to {_size_text(r ** (depth - 1))}) have too many gaps "
                        "to work out here")
                power = _merge_runs((a + c, b + d) for a, b in power for c, d in T)
            if k in wanted:
                shift = (k - e0) * base // g
                new.extend((a + shift, b + shift) for a, b in power)
        base, T = e0 * base, _merge_runs(new)
    return tuple((base + g * lo, base + g * hi + 1, g) for lo, hi in T)


def _count_degrees(progressions) -> int:
    return sum(len(range(*p)) for p in progressions)


def _monomials_in_degrees(n: int, progressions) -> int:
    """``sum binom(e + n - 1, n - 1)`` over the degrees ``e`` (closed form on intervals)."""
    total = 0
    for start, stop, step in progressions:
        last = stop - 1 if step == 1 else start + step * ((stop - 1 - start) // step)
        if n == 1:
            total += (last - start) // step + 1
        elif step == 1:  # hockey stick: sum_{e=a}^{b} binom(e+n-1, n-1)
            total += _count_bounded(last + n, n) - (_count_bounded(start - 1 + n, n)
                                                    if start else 0)
        else:
            count = (last - start) // step + 1
            _count_bounded(last + n - 1, n - 1)  # refuse astronomically large counts first
            if count <= 2 * n + 2 or n > 200:
                if count > _MAX_SUMMED_DEGREES:
                    raise InvalidArchitectureError(
                        f"the outputs have {_size_text(count)} possible degrees with gaps; too "
                        "many to count the monomials here")
                total += sum(math.comb(e + n - 1, n - 1) for e in range(start, stop, step))
            else:
                total += _progression_sum(start, step, count, n)
    return total


def _progression_sum(a: int, g: int, m: int, n: int) -> int:
    """``sum_{j < m} binom(a + g j + n - 1, n - 1)``, exactly, by Lagrange interpolation.

    The summand is a polynomial of degree ``n - 1`` in ``j``, so the sum is a polynomial
    of degree ``n`` in ``m``: interpolate it from ``m = 0, ..., n``.
    """
    values, acc = [], 0
    for j in range(n + 1):
        values.append(acc)
        acc += math.comb(a + g * j + n - 1, n - 1)
    prefix, suffix = [1] * (n + 2), [1] * (n + 2)
    for j in range(n + 1):
        prefix[j + 1] = prefix[j] * (m - j)
    for j in range(n, -1, -1):
        suffix[j] = suffix[j + 1] * (m - j)
    total = Fraction(0)
    for i in range(n + 1):
        sign = -1 if (n - i) % 2 else 1
        total += Fraction(sign * values[i] * prefix[i] * suffix[i + 1],
                          math.factorial(i) * math.factorial(n - i))
    assert total.denominator == 1
    return int(total)


def jacobian_minor_degree(arch, size: int, sketched: bool = False) -> int:
    """A bound on the total degree of a ``size x size`` minor of the Jacobian.

    :func:`nagviz.dimension` evaluates the Jacobian of ``w -> f_w(x)`` at random
    ``(w, x)``: its entries are polynomials in the parameters **and** the inputs. The
    first layer's pre-activations have degree 2 in ``(w, x)``, each further layer
    multiplies by ``r = deg sigma`` and adds 1 (the weight), so the output has degree
    ``t_L`` with ``t_1 = 2``, ``t_{i+1} = r t_i + 1``; an entry has degree at most
    ``t_L - 1`` and a minor at most ``size (t_L - 1)``. A random sketch ``R J S`` adds
    ``2 size`` (``sketched=True``). Feed it to :func:`nagviz.activation.schwartz_zippel_bound`.

    Examples
    --------
    >>> jacobian_minor_degree(Architecture((3, 5, 1), 4), 14)     # t = 2, 9
    112
    >>> jacobian_minor_degree(Architecture((2, 3, 3, 3, 1), 3), 18, sketched=True)
    1224
    """
    if isinstance(size, bool) or not isinstance(size, (Integral, np.integer)) or size < 0:
        raise ValueError(f"size must be an integer >= 0, got {quote(size)}")
    r, t = arch.activation.degree, 2
    for _ in range(len(arch.widths) - 2):
        t = r * t + 1
    return int(size) * (t - 1 + (2 if sketched else 0))


def symbolic_expansion_work(arch, symbolic: bool = True) -> int:
    """An estimate of the term operations sympy spends expanding the output polynomials.

    :func:`nagviz.parameterization.output_polynomials` expands ``sigma(W h + b)`` layer by
    layer. A pre-activation with ``T`` terms raised to the power ``k`` has at most
    ``binom(T + k - 1, k)`` terms, and building it costs about that many terms times
    ``T``; the next pre-activation has ``d_i`` times as many terms. With numeric
    parameters (``symbolic=False``) a polynomial in ``d_0`` variables of degree ``D``
    has at most ``binom(D + d_0, d_0)`` terms, a much smaller cap. The estimate saturates
    at ``10^30``. As a rule of thumb sympy expands some 10^5 term operations a second.

    Examples
    --------
    >>> symbolic_expansion_work(Architecture((2, 1, 1)))
    15
    >>> symbolic_expansion_work(Architecture((2, 2, 2, 2, 1), 3)) > 10**9
    True
    >>> symbolic_expansion_work(Architecture((2, 2, 2, 2, 1), 3), symbolic=False) < 10**6
    True
    """
    cap = 10**30
    widths, exps, bias = arch.widths, arch.activation.exponents, arch.bias
    n = widths[0]
    terms = n + (1 if bias else 0)  # terms of one first-layer pre-activation
    degree, work = 1, 0
    for width in widths[1:-1]:
        degree *= arch.activation.degree
        limit = math.comb(degree + n, n) if not symbolic and degree < 10**6 else cap
        h_terms = 0
        for k in exps:
            power_terms = min(math.comb(terms + k - 1, k) if terms < cap else cap, limit)
            work += width * min(k, 64) * power_terms * min(terms, limit)
            h_terms += power_terms
        terms = min(width * min(h_terms, limit) + (1 if bias else 0), cap)
        work = min(work, cap)
        if work >= cap:
            return cap
    return min(work + widths[-1] * terms * widths[-2], cap)


@dataclass(frozen=True, init=False)
class Architecture(Model):
    """A fully connected polynomial network: widths, activation, biases.

    Parameters
    ----------
    widths : sequence of int or str
        ``(d_0, d_1, ..., d_L)``: input width, hidden widths, output width. A string
        such as ``"3,5,1"`` is accepted.
    activation : int, str or Activation, default 2
        An integer ``r`` means the monomial ``z^r`` (``r = 1``: a linear network); a
        string is a polynomial in ``z`` such as ``"z^3 + z^2"``.
    bias : bool, default False
        Whether every layer has a bias vector.

    Examples
    --------
    >>> a = Architecture((3, 2, 1), activation=2)
    >>> a
    Architecture(widths=(3, 2, 1), activation='z^2')
    >>> a.n_parameters, a.hidden_neurons, a.ambient_dimension, a.expected_dimension
    (8, 2, 6, 6)
    >>> Architecture((2, 2, 1), "z^3 + z^2").ambient_dimension
    7
    >>> Architecture((3, 1, 2), activation=1).expected_dimension   # 2x3 matrices of rank <= 1
    4
    >>> Architecture((3, 0, 1))
    Traceback (most recent call last):
    ...
    nagviz.architecture.InvalidArchitectureError: every width must be at least 1, got 0 in (3, 0, 1); a layer needs at least one neuron
    """

    widths: tuple[int, ...]
    activation: Activation
    bias: bool

    def __init__(self, widths, activation=2, bias: bool = False):
        if not isinstance(bias, (bool, np.bool_)):
            raise InvalidArchitectureError(f"bias must be True or False, got {quote(bias)}")
        try:
            act = Activation.coerce(activation)
        except InvalidActivationError as exc:
            raise InvalidArchitectureError(str(exc)) from None
        object.__setattr__(self, "widths", parse_widths(widths))
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "bias", bool(bias))

    def __repr__(self) -> str:
        extra = ", bias=True" if self.bias else ""
        widths = self.widths
        if len(widths) > 16:  # a one-screen repr, even for a 1000-layer network
            head = ", ".join(map(str, widths[:6]))
            widths = f"({head}, ... {len(widths) - 8} more ..., {widths[-2]}, {widths[-1]})"
        return f"Architecture(widths={widths}, activation={str(self.activation)!r}{extra})"

    def __str__(self) -> str:
        text = f"{','.join(map(str, self.widths))} with {self.activation}"
        return text + " and biases" if self.bias else text

    # -- counting ---------------------------------------------------------------
    @property
    def depth(self) -> int:
        """The number ``L`` of linear layers."""
        return len(self.widths) - 1

    @property
    def input_dimension(self) -> int:
        return self.widths[0]

    @property
    def output_dimension(self) -> int:
        return self.widths[-1]

    @property
    def layer_shapes(self) -> tuple[tuple[int, int], ...]:
        """Shapes ``(d_i, d_{i-1})`` of the weight matrices ``W_1, ..., W_L``."""
        return tuple((self.widths[i + 1], self.widths[i]) for i in range(self.depth))

    @property
    def n_parameters(self) -> int:
        """Number of weights (and biases): ``sum d_i d_{i-1}`` (``+ sum d_i``)."""
        n = sum(a * b for a, b in self.layer_shapes)
        return n + (sum(self.widths[1:]) if self.bias else 0)

    @property
    def hidden_neurons(self) -> int:
        """``d_1 + ... + d_{L-1}``: each carries a rescaling symmetry when ``sigma = z^r``."""
        return sum(self.widths[1:-1])

    @property
    def is_linear(self) -> bool:
        """Whether the activation has degree 1 (the network computes an affine map)."""
        return self.activation.degree == 1

    @property
    def output_degrees(self) -> tuple[int, ...]:
        """The degrees of the homogeneous parts an output polynomial can have.

        ``(r^(L-1),)`` for a monomial activation without biases; for a general
        activation or with biases, several degrees. Worked out with a bound on the work
        (closed forms with biases or a monomial activation; otherwise bitsets of one
        residue class); refuses (:class:`InvalidArchitectureError`) to list more than
        :data:`MAX_LISTED_DEGREES` of them.

        Examples
        --------
        >>> Architecture((2, 2, 1), 2).output_degrees
        (2,)
        >>> Architecture((2, 2, 1), "z^3 + z^2").output_degrees
        (2, 3)
        >>> Architecture((2, 2, 1), 2, bias=True).output_degrees
        (0, 1, 2)
        >>> Architecture((2, 2, 2, 1), "z^4 + z").output_degrees    # all 1 modulo 3
        (1, 4, 7, 10, 13, 16)
        """
        progressions = self._degree_progressions()
        count = _count_degrees(progressions)
        if count > MAX_LISTED_DEGREES:
            raise InvalidArchitectureError(
                f"{self!r} has {_size_text(count)} possible output degrees (up to "
                f"{_size_text(self.output_degree)}); listing more than {MAX_LISTED_DEGREES:,} "
                "is refused. Use output_degree or monomials_per_output.")
        return tuple(e for p in progressions for e in range(*p))

    def _degree_progressions(self) -> tuple:
        return _degree_progressions(self.activation.exponents, self.bias, self.depth)

    @property
    def output_degree(self) -> int:
        """The degree ``D`` of the output polynomials (``r^(L-1)`` for ``z^r``)."""
        start, stop, step = self._degree_progressions()[-1]
        return stop - 1 - (stop - 1 - start) % step

    @property
    def monomials_per_output(self) -> int:
        """Dimension of the space of polynomials one output ranges over.

        Computed in closed form on intervals of degrees, so it is exact (a Python
        int) even when it is astronomically large; a count of more than about 6,000
        digits is refused.

        Examples
        --------
        >>> a = Architecture((2, 2, 2, 2, 1), 64, bias=True)       # degrees 0, 1, ..., 64^3
        >>> a.monomials_per_output, a.monomials_per_output == math.comb(64**3 + 2, 2)
        (34360131585, True)
        """
        return _monomials_in_degrees(self.widths[0], self._degree_progressions())

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent vectors of the monomials of one output, in nagviz's coordinate order.

        Degrees increase; within a degree the order of :func:`monomial_exponents`.
        Refuses, naming the count, to list more than :data:`MAX_LISTED_MONOMIALS`.

        Examples
        --------
        >>> Architecture((2, 1, 1), 2).monomials()
        [(2, 0), (1, 1), (0, 2)]
        >>> Architecture((3, 2, 2, 1), 64, bias=True).monomials()
        Traceback (most recent call last):
        ...
        nagviz.architecture.InvalidArchitectureError: Architecture(widths=(3, 2, 2, 1), activation='z^64', bias=True) has 11,470,030,849 monomials per output; listing more than 500,000 would exhaust memory
        """
        count = self.monomials_per_output
        if count > MAX_LISTED_MONOMIALS:
            raise InvalidArchitectureError(
                f"{self!r} has {_size_text(count)} monomials per output; listing more than "
                f"{MAX_LISTED_MONOMIALS:,} would exhaust memory")
        n = self.widths[0]
        out = []
        for e in self.output_degrees:
            out.extend(monomial_exponents(n, e))
        return out

    @property
    def ambient_dimension(self) -> int:
        """``d_L`` times the number of monomials an output can have.

        For ``sigma = z^r`` without biases this is ``d_L * binom(D + d_0 - 1, d_0 - 1)``.
        """
        return self.widths[-1] * self.monomials_per_output

    @property
    def expected_dimension(self) -> int:
        """The dimension the neurovariety would have if the only symmetries were the obvious ones.

        * ``sigma = z^r``, ``r >= 2``: ``min(#params - hidden neurons, ambient)`` (one
          rescaling per hidden neuron).
        * linear networks: the determinantal variety of ``d_L x d_0`` matrices of rank at
          most ``k = min(d_i)``, of dimension ``k (d_0 + d_L - k)``, plus ``d_L`` for the
          translation when there are biases. Here the symmetry group is
          ``GL(d_1) x ... x GL(d_{L-1})``, which does not act freely.
        * other polynomial activations: ``min(#params, ambient)`` (finite symmetries).

        It is always an upper bound for the true dimension.
        """
        if self.is_linear:
            k = min(self.widths)
            d0, dl = self.widths[0], self.widths[-1]
            affine = self.bias or self.activation.coefficients[0] != 0
            return min(k * (d0 + dl - k) + (dl if affine else 0), self.ambient_dimension)
        if self.activation.is_monomial:
            return min(self.n_parameters - self.hidden_neurons, self.ambient_dimension)
        return min(self.n_parameters, self.ambient_dimension)

    # -- parameters -------------------------------------------------------------
    def random_parameters(self, seed=None, scale: float = 1.0) -> np.ndarray:
        """A random parameter vector with i.i.d. Gaussian entries (``N(0, scale^2)``).

        The flat layout is: for each layer ``W_i`` row by row, then ``b_i`` if there are
        biases. :func:`nagviz.parameterization.unflatten` splits it.

        Examples
        --------
        >>> Architecture((2, 3, 1)).random_parameters(seed=0).shape
        (9,)
        """
        rng = np.random.default_rng(seed)
        return scale * rng.standard_normal(self.n_parameters)

    # -- the model contract (see nagviz.model) -------------------------------------------
    @property
    def symmetry_dimension(self) -> int:
        """The dimension of the generic fiber that the obvious symmetries explain.

        * ``sigma = z^r``, ``r >= 2``: one rescaling per hidden neuron
          (incoming weights and bias times ``t``, outgoing weights times ``t^(-r)``);
        * linear networks: the orbits of ``GL(d_1) x ... x GL(d_{L-1})``, which are the
          whole generic fibers: ``#params - expected_dimension``;
        * other activations: 0 (only finitely many symmetries, e.g. permutations).

        Examples
        --------
        >>> Architecture((3, 2, 1), 2).symmetry_dimension
        2
        >>> Architecture((3, 1, 2), 1).symmetry_dimension    # GL(1) on the bottleneck
        1
        >>> Architecture((2, 2, 1), "z^3 + z^2").symmetry_dimension
        0
        """
        if self.is_linear:
            return self.n_parameters - self.expected_dimension
        if self.activation.is_monomial:
            return self.hidden_neurons
        return 0

    @property
    def parameter_shapes(self) -> tuple:
        """``(("W1", (d_1, d_0)), ("b1", (d_1,)), ...)``: the flat layout, layer by layer.

        Examples
        --------
        >>> Architecture((2, 3, 1), bias=True).parameter_shapes
        (('W1', (3, 2)), ('b1', (3,)), ('W2', (1, 3)), ('b2', (1,)))
        """
        out = []
        for i, (rows, cols) in enumerate(self.layer_shapes, start=1):
            out.append((f"W{i}", (rows, cols)))
            if self.bias:
                out.append((f"b{i}", (rows,)))
        return tuple(out)

    @property
    def evaluation_cost(self) -> int:
        """Multiplications of one forward pass at one input (weights plus activations)."""
        weights = sum(a * b for a, b in self.layer_shapes)
        return weights + self.hidden_neurons * self.activation.degree

    @property
    def parameter_degree(self) -> int:
        """Degree of the output coefficients as polynomials in the parameters.

        Examples
        --------
        >>> Architecture((2, 3, 3, 1), 2).parameter_degree     # 2 * (2 * 1 + 1) + 1
        7
        """
        deg = 1
        for _ in range(self.depth - 1):
            deg = self.activation.degree * deg + 1
        return deg

    def describe(self) -> str:
        """``"widths (3, 2, 1), activation z^2"`` (and ``", with biases"``)."""
        text = f"widths {self.widths}, activation {self.activation}"
        return text + (", with biases" if self.bias else "")

    def identity(self) -> dict:
        return {"widths": list(self.widths),
                "activation": str(self.activation) + (" (with biases)" if self.bias else "")}

    def hidden_units(self) -> tuple:
        """One :class:`~nagviz.model.Unit` per hidden neuron: its incoming row (and bias)
        and its outgoing column.

        Examples
        --------
        >>> units = Architecture((2, 2, 1), 2).hidden_units()
        >>> units
        (Unit(neuron 1 of hidden layer 1), Unit(neuron 2 of hidden layer 1))
        >>> units[1].incoming, units[1].outgoing      # W1[1, :] and W2[:, 1]
        ((2, 3), (5,))
        """
        offsets, pos = [], 0
        for rows, cols in self.layer_shapes:
            offsets.append(pos)
            pos += rows * cols + (rows if self.bias else 0)
        units = []
        for layer in range(1, self.depth):
            rows, cols = self.layer_shapes[layer - 1]
            nrows, ncols = self.layer_shapes[layer]
            for j in range(rows):
                inc = tuple(offsets[layer - 1] + j * cols + c for c in range(cols))
                if self.bias:
                    inc += (offsets[layer - 1] + rows * cols + j,)
                out = tuple(offsets[layer] + k * ncols + j for k in range(nrows))
                units.append(Unit("neuron", layer, j, inc, out))
        return tuple(units)

    def coefficient_map(self):
        """A shallow network without biases gets the exact closed-form kernel, a deeper
        linear one the matrix product; other deep ones the generic FFT route."""
        if self.depth == 2 and not self.bias:
            from ._coefficient_map import ShallowKernel

            return ShallowKernel(*self.widths, self.activation, self.monomials())
        if not self.bias and self.activation.is_linear:
            from ._coefficient_map import LinearKernel

            scale = float(self.activation.coefficients[1]) ** (self.depth - 1)
            return LinearKernel(self.layer_shapes, scale)
        return super().coefficient_map()

    def forward(self, theta, X, ops):
        """``W_L sigma(... sigma(W_1 x + b_1) ...) + b_L`` in the arithmetic ``ops``.

        Examples
        --------
        >>> from nagviz._arithmetic import Floats
        >>> a = Architecture((2, 1, 1))                      # v (a x + b y)^2
        >>> a.forward(np.array([[1.0, 2.0, 3.0]]), np.array([[[1.0, 1.0]]]), Floats(a.activation))
        array([[[27.]]])
        """
        blocks = self.split(theta)
        h = X
        for i in range(1, self.depth + 1):
            z = ops.linear(h, blocks[f"W{i}"])
            if self.bias:
                z = ops.add(z, blocks[f"b{i}"][:, None, :])
            h = ops.activation(z) if i < self.depth else z
        return h

    def jacobian(self, theta, X, ops) -> np.ndarray:
        """The Jacobian by backpropagation (``d_L`` backward passes instead of one forward
        pass per parameter); the generic forward-mode route gives the same matrix.
        """
        if not hasattr(ops, "activation_derivative"):  # pragma: no cover - dual numbers
            return super().jacobian(theta, X, ops)
        T, N = X.shape[0], X.shape[1]
        blocks = self.split(theta)
        layers = [(blocks[f"W{i}"], blocks.get(f"b{i}")) for i in range(1, self.depth + 1)]
        inputs, pre, h = [], [], X
        for i, (W, b) in enumerate(layers):
            inputs.append(h)
            z = ops.linear(h, W)
            if b is not None:
                z = ops.add(z, b[:, None, :])
            pre.append(z)
            h = ops.activation(z) if i < self.depth - 1 else z
        # backward: G[t, n, j, a] = d output_j / d z_a at the current layer
        dl = self.widths[-1]
        G = np.broadcast_to(np.eye(dl, dtype=ops.dtype), (T, N, dl, dl))
        parts = []
        for i in reversed(range(self.depth)):
            W, b = layers[i]
            grad_W = ops.mul(G[..., :, None], inputs[i][:, :, None, None, :])
            parts = [grad_W.reshape(T, N, dl, -1)] + ([G] if b is not None else []) + parts
            if i > 0:
                G = ops.linear(G, np.swapaxes(W, -1, -2)[:, None])
                G = ops.mul(G, ops.activation_derivative(pre[i - 1])[:, :, None, :])
        return np.concatenate(parts, axis=-1).reshape(T, N * dl, self.n_parameters)

    def jacobian_work(self, n_points: int) -> int:
        """Operations of the backpropagation at ``n_points`` inputs."""
        weights = sum(a * b for a, b in self.layer_shapes)
        return n_points * self.widths[-1] * (self.n_parameters + weights) + n_points * weights

    def symmetry_directions(self, theta) -> np.ndarray:
        """Tangent vectors of the symmetry orbit through ``theta``, shape (k, n_parameters).

        For ``z^r`` one rescaling direction per hidden neuron: ``+`` its incoming
        weights and bias, ``-r`` times its outgoing weights. For the linear activation
        ``z`` the Lie algebra of ``GL(d_l)`` at every hidden layer: ``W_l -> A W_l``,
        ``b_l -> A b_l``, ``W_{l+1} -> -W_{l+1} A``, and with biases the translations
        ``b_l -> b_l + c``, ``b_{l+1} -> b_{l+1} - W_{l+1} c``. Other activations: none.

        Examples
        --------
        >>> Architecture((1, 1, 1), 2).symmetry_directions([2.0, 3.0]).tolist()
        [[2.0, -6.0]]
        """
        theta = np.asarray(theta, dtype=float)
        act = self.activation
        linear = self.is_linear and act.is_monomial
        if not (act.is_monomial and self.hidden_neurons):
            return np.zeros((0, self.n_parameters))
        offsets, pos = {}, 0
        for name, shape in self.parameter_shapes:
            offsets[name] = pos
            pos += int(np.prod(shape))
        blocks = self.split(theta)
        out = []
        for layer in range(1, self.depth):
            rows, cols = self.layer_shapes[layer - 1]
            nrows = self.layer_shapes[layer][0]
            W_in, W_out = blocks[f"W{layer}"], blocks[f"W{layer + 1}"]
            b_in = blocks.get(f"b{layer}")
            pairs = ([(a, c) for a in range(rows) for c in range(rows)] if linear
                     else [(j, j) for j in range(rows)])
            for a, c in pairs:  # the generator E_ac of gl(d_l) (diagonal ones for z^r)
                v = np.zeros(self.n_parameters)
                base_in = offsets[f"W{layer}"]
                v[base_in + a * cols:base_in + (a + 1) * cols] += W_in[c]
                if b_in is not None:
                    v[offsets[f"b{layer}"] + a] += b_in[c]
                base_out = offsets[f"W{layer + 1}"]
                rate = 1 if linear else act.degree
                v[base_out + c + np.arange(nrows) * rows] -= rate * W_out[:, a]
                out.append(v)
            if linear and self.bias:  # translations: b_l += e_a, b_{l+1} -= W_{l+1} e_a
                for a in range(rows):
                    v = np.zeros(self.n_parameters)
                    v[offsets[f"b{layer}"] + a] = 1.0
                    v[offsets[f"b{layer + 1}"]:offsets[f"b{layer + 1}"] + nrows] -= W_out[:, a]
                    out.append(v)
        return np.array(out)
