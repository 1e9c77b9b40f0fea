"""The contract every network family implements: :class:`Model`.

A *model* is a polynomial map ``(theta, x) -> f_theta(x)``: a flat parameter vector
``theta`` and an input ``x`` in ``d_0`` variables give ``d_L`` outputs, each a
polynomial in ``x`` whose monomials are known in advance. Everything nagviz computes
(the exact dimension, the float cross-check, coefficients, fibers, training, tangent
ranks along paths) needs only what this contract provides, so it works for every
family: fully connected networks (:class:`nagviz.Architecture`), convolutional networks
(:class:`nagviz.cnn.CNNArchitecture`), and any family added later.

What a family writes
--------------------
One module with a frozen dataclass subclassing :class:`Model` that gives

* the **counts**: :attr:`~Model.n_parameters`, :attr:`~Model.input_dimension`,
  :attr:`~Model.output_dimension`, :attr:`~Model.output_degrees` (the degrees of the
  homogeneous parts an output can have), :attr:`~Model.parameter_degree` (the degree of
  the coefficients in the parameters), :attr:`~Model.evaluation_cost` (for the size
  guard) and :attr:`~Model.symmetry_dimension` (the dimension of the obvious
  continuous symmetry group, e.g. one rescaling per hidden neuron for ``z^r``);
* the ``activation`` attribute (an :class:`~nagviz.Activation`) that the arithmetics
  evaluate;
* the **parameter layout**: :attr:`~Model.parameter_shapes`, named blocks in the order
  of the flat vector;
* the **forward pass**, once, in the vocabulary of an arithmetic ``ops`` (see
  :mod:`nagviz._arithmetic`): :meth:`~Model.forward`. The same code then runs in
  floating point (evaluation; coefficients by an FFT on roots of unity), modulo a prime
  (exact ranks) and in forward-mode dual numbers (both Jacobians);
* optionally :meth:`~Model.symmetry_directions` (tangent vectors of the symmetry
  orbits, used to check invariance and by the fibers notebook),
  :meth:`~Model.hidden_units` (the units whose removal gives a subnetwork), a
  description for result headers, and faster routes (:meth:`~Model.jacobian` by
  backpropagation, :meth:`~Model.coefficient_map` in closed form) that the generic
  property tests in ``tests/test_model.py`` compare with the generic route.

What follows for free: :attr:`~Model.ambient_dimension`, :meth:`~Model.monomials`,
:attr:`~Model.expected_dimension` (``min(#params - symmetry_dimension, ambient)``),
:meth:`~Model.random_parameters`, :meth:`~Model.split`, :meth:`~Model.jacobian`, and the
algorithms :func:`nagviz.evaluate`, :func:`nagviz.coefficients`,
:func:`nagviz.dimension`, :func:`nagviz.float_rank`, :func:`nagviz.jacobian_mod_p`.

Pure mathematics: no plotting or widget imports.

Examples
--------
>>> import nagviz
>>> from nagviz.cnn import CNNArchitecture
>>> for model in (nagviz.Architecture((3, 2, 1), 2), CNNArchitecture((3, 2, 4))):
...     r = nagviz.dimension(model)
...     print(type(model).__name__, r.parameters, r.expected_dimension, r.dimension)
Architecture 8 6 5
CNNArchitecture 9 7 7
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

__all__ = ["Model", "Unit", "as_model"]


@dataclass(frozen=True)
class Unit:
    """A hidden unit whose removal gives a subnetwork.

    Attributes
    ----------
    kind : str
        ``"neuron"`` (an MLP neuron) or ``"tap"`` (one entry of a CNN filter).
    layer : int
        1-based layer of the neuron, or 1-based filter index.
    index : int
        0-based index of the neuron in its layer, or of the entry in its filter.
    incoming, outgoing : tuple of int
        Flat parameter indices of the incoming weights (and bias) and outgoing weights.
        For a filter entry, ``incoming`` is the entry itself and ``outgoing`` is empty.
    """

    kind: str
    layer: int
    index: int
    incoming: tuple
    outgoing: tuple

    @property
    def parameters(self) -> tuple:
        """All flat parameter indices of the unit."""
        return self.incoming + self.outgoing

    @property
    def label(self) -> str:
        if self.kind == "neuron":
            return f"neuron {self.index + 1} of hidden layer {self.layer}"
        return f"entry {self.index} of filter {self.layer}"

    def __repr__(self) -> str:
        return f"Unit({self.label})"


class Model(ABC):
    """A family of polynomial maps ``x -> f_theta(x)``: the contract of every network family.

    Subclasses are frozen dataclasses that only store and validate their description
    (widths, filter sizes, activation, ...). See the module docstring for what a
    subclass writes and what it gets.
    """

    # -- what a family writes: counts -------------------------------------------------
    @property
    @abstractmethod
    def n_parameters(self) -> int:
        """The length of the flat parameter vector ``theta``."""

    @property
    @abstractmethod
    def input_dimension(self) -> int:
        """The number ``d_0`` of input variables."""

    @property
    @abstractmethod
    def output_dimension(self) -> int:
        """The number of outputs (polynomials) of the map."""

    @property
    @abstractmethod
    def output_degrees(self) -> tuple[int, ...]:
        """The degrees of the homogeneous parts an output polynomial can have."""

    @property
    @abstractmethod
    def symmetry_dimension(self) -> int:
        """The dimension of the obvious continuous symmetry group, acting freely on generic
        parameters (0 when the known symmetries are finite)."""

    @property
    @abstractmethod
    def parameter_shapes(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Named parameter blocks ``(name, shape)``, in the order of the flat vector."""

    @property
    @abstractmethod
    def parameter_degree(self) -> int:
        """The degree of the output coefficients as polynomials in the parameters."""

    @property
    @abstractmethod
    def evaluation_cost(self) -> int:
        """Elementary operations of one forward pass at one input point (for size guards)."""

    @abstractmethod
    def forward(self, theta, X, ops):
        """The forward pass in the arithmetic ``ops``.

        Parameters
        ----------
        theta : array, shape (T, n_parameters)
            A batch of parameter vectors (in ``ops``' number type; possibly dual numbers).
        X : array, shape (T, N, input_dimension)
            For each parameter vector a batch of inputs.
        ops : an arithmetic of :mod:`nagviz._arithmetic`

        Returns
        -------
        array, shape (T, N, output_dimension)
        """

    # -- optional --------------------------------------------------------------------
    def symmetry_directions(self, theta) -> np.ndarray:
        """Tangent vectors at ``theta`` of the orbit of the symmetry group, shape (k, P).

        Moving ``theta`` along them does not change the function to first order. The
        default is no continuous symmetry.
        """
        return np.zeros((0, self.n_parameters))

    def hidden_units(self) -> tuple:
        """The units (:class:`Unit`) whose removal gives a subnetwork; none by default."""
        return ()

    def coefficient_map(self):
        """``theta -> (c(theta), dc/dtheta)``, batched (see :mod:`nagviz._coefficient_map`).

        The generic map runs :meth:`forward` at roots of unity and applies an FFT;
        families override this with a faster exact route where they have one.
        """
        from ._coefficient_map import CoefficientMap

        return CoefficientMap(self)

    def describe(self) -> str:
        """A one-line description for result headers."""
        return repr(self)

    def identity(self) -> dict:
        """The keys naming the model in :meth:`DimensionResult.to_dict`."""
        return {"model": self.describe()}

    # -- derived counts ------------------------------------------------------------------
    @property
    def output_degree(self) -> int:
        """The degree ``D`` of the output polynomials."""
        return max(self.output_degrees)

    def monomials(self) -> list[tuple[int, ...]]:
        """Exponent vectors of the monomials of one output, in nagviz's coordinate order.

        Degrees increase; within a degree the order of
        :func:`nagviz.architecture.monomial_exponents`.
        """
        from .architecture import monomial_exponents

        n = self.input_dimension
        out = []
        for e in self.output_degrees:
            out.extend(monomial_exponents(n, e))
        return out

    @property
    def monomials_per_output(self) -> int:
        """Dimension of the space of polynomials one output ranges over."""
        n = self.input_dimension
        return sum(math.comb(e + n - 1, n - 1) for e in self.output_degrees)

    @property
    def ambient_dimension(self) -> int:
        """The number of outputs times the number of monomials an output can have."""
        return self.output_dimension * self.monomials_per_output

    @property
    def expected_dimension(self) -> int:
        """``min(#params - symmetry_dimension, ambient)``: a proven upper bound of the dimension.

        Families whose symmetry group does not act freely (linear networks) override it.
        """
        return min(self.n_parameters - self.symmetry_dimension, self.ambient_dimension)

    def jacobian_work(self, n_points: int) -> int:
        """Elementary operations of :meth:`jacobian` at ``n_points`` inputs (one trial)."""
        return n_points * self.evaluation_cost * (self.n_parameters + 1)

    # -- parameters ----------------------------------------------------------------------
    def random_parameters(self, seed=None, scale: float = 1.0) -> np.ndarray:
        """A random parameter vector with i.i.d. Gaussian entries (``N(0, scale^2)``)."""
        rng = np.random.default_rng(seed)
        return scale * rng.standard_normal(self.n_parameters)

    def split(self, theta) -> dict:
        """The named blocks of ``theta`` (shape ``(..., n_parameters)``), in layout order.

        Works on numpy arrays and on the dual numbers of :mod:`nagviz._arithmetic`.
        """
        batch = theta.shape[:-1]
        out, pos = {}, 0
        for name, shape in self.parameter_shapes:
            size = math.prod(shape)
            out[name] = theta[..., pos:pos + size].reshape(batch + tuple(shape))
            pos += size
        return out

    # -- derived maps --------------------------------------------------------------------
    def jacobian(self, theta, X, ops) -> np.ndarray:
        """Jacobian of ``theta -> (f_theta(x_1), ..., f_theta(x_N))``, batched over trials.

        ``theta`` has shape (T, P) and ``X`` shape (T, N, d_0); the result has shape
        (T, N * d_out, P), row ``n * d_out + j`` the gradient of output ``j`` at ``x_n``.
        The generic route runs :meth:`forward` in dual numbers over ``ops``.
        """
        from ._arithmetic import Dual, Duals

        duals = Duals(ops)
        out = self.forward(duals.seed(theta), Dual(np.asarray(X)), duals)
        T, N, m = out.value.shape
        tangent = out.tangent
        if tangent is None:  # a map that does not depend on theta
            tangent = np.zeros((T, N, m, self.n_parameters), dtype=out.value.dtype)
        return np.asarray(tangent).reshape(T, N * m, self.n_parameters)


def as_model(model, default=None) -> Model:
    """``model`` itself if it is a :class:`Model`, else ``default(model)`` (widths -> MLP).

    Examples
    --------
    >>> as_model((3, 2, 1))
    Architecture(widths=(3, 2, 1), activation='z^2')
    """
    if isinstance(model, Model):
        return model
    if default is None:
        from .architecture import Architecture

        default = Architecture
    return default(model)
