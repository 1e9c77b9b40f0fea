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

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .activation import Activation, InvalidActivationError
from .model import Model, Unit, monomial_exponents

__all__ = ["Architecture", "InvalidArchitectureError", "monomial_exponents"]


class InvalidArchitectureError(ValueError):
    """Widths or options that do not describe a network; the message says how to fix them."""


def _parse_widths(widths) -> tuple[int, ...]:
    if isinstance(widths, str):
        text = widths.strip()
        parts = text.split(",")
        if not text or any(not part.strip() for part in parts):
            raise InvalidArchitectureError(
                f"widths {widths!r} have an empty entry; write them like '3,5,1'"
            )
        try:
            widths = [int(part) for part in parts]
        except ValueError:
            raise InvalidArchitectureError(
                f"widths {widths!r} must be whole numbers separated by commas, like '3,5,1'"
            ) from None
    try:
        widths = list(widths)
    except TypeError:
        raise InvalidArchitectureError(
            f"widths must be a sequence of positive integers like (3, 5, 1), got {widths!r}"
        ) from None
    out = []
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (Integral, np.integer)):
            if isinstance(w, float) and w.is_integer():
                w = int(w)
            else:
                raise InvalidArchitectureError(
                    f"every width must be a positive integer, got {w!r} in {tuple(widths)}"
                )
        if w < 1:
            raise InvalidArchitectureError(
                f"every width must be at least 1, got {int(w)} in {tuple(int(v) for v in widths)};"
                " a layer needs at least one neuron"
            )
        out.append(int(w))
    if len(out) < 2:
        raise InvalidArchitectureError(
            f"a network needs an input and an output width, e.g. (3, 1); got {tuple(out)}"
        )
    return tuple(out)


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
            raise InvalidArchitectureError(f"bias must be True or False, got {bias!r}")
        try:
            act = Activation.coerce(activation)
        except InvalidActivationError as exc:
            raise InvalidArchitectureError(str(exc)) from None
        object.__setattr__(self, "widths", _parse_widths(widths))
        object.__setattr__(self, "activation", act)
        object.__setattr__(self, "bias", bool(bias))

    def __repr__(self) -> str:
        extra = ", bias=True" if self.bias else ""
        return f"Architecture(widths={self.widths}, activation={str(self.activation)!r}{extra})"

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
        activation or with biases, several degrees.

        Examples
        --------
        >>> Architecture((2, 2, 1), 2).output_degrees
        (2,)
        >>> Architecture((2, 2, 1), "z^3 + z^2").output_degrees
        (2, 3)
        >>> Architecture((2, 2, 1), 2, bias=True).output_degrees
        (0, 1, 2)
        """
        degrees = {0, 1} if self.bias else {1}
        exps = self.activation.exponents
        for _ in range(self.depth - 1):
            sums = {0: {0}}
            for k in range(1, max(exps) + 1):
                sums[k] = {a + b for a in sums[k - 1] for b in degrees}
            degrees = set().union(*(sums[k] for k in exps))
            if self.bias:
                degrees.add(0)
        return tuple(sorted(degrees))

    @property
    def output_degree(self) -> int:
        """The degree ``D`` of the output polynomials (``r^(L-1)`` for ``z^r``)."""
        return max(self.output_degrees)

    @property
    def monomials_per_output(self) -> int:
        """Dimension of the space of polynomials one output ranges over."""
        n = self.widths[0]
        return sum(math.comb(e + n - 1, n - 1) for e in self.output_degrees)

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent vectors of the monomials of one output, in nagviz's coordinate order.

        Degrees increase; within a degree the order of :func:`monomial_exponents`.

        Examples
        --------
        >>> Architecture((2, 1, 1), 2).monomials()
        [(2, 0), (1, 1), (0, 2)]
        """
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
        """A shallow network without biases gets the exact closed-form kernel; deeper
        ones the generic FFT route."""
        if self.depth == 2 and not self.bias:
            from ._coefficient_map import ShallowKernel

            return ShallowKernel(*self.widths, self.activation, self.monomials())
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
