"""The model contract, checked generically over every network family.

Each property below runs over a list of models of every family that implements
:class:`nagviz.model.Model`; a new family is added to ``FAMILIES`` and inherits the checks.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nagviz
from nagviz._arithmetic import Duals, Floats, Residues
from nagviz.attention import LightningAttention
from nagviz.cnn import CNNArchitecture
from nagviz.jacobian_rank import DEFAULT_PRIME, ArchitectureTooLargeError, rank_mod_p
from nagviz.model import Model

P = DEFAULT_PRIME

FAMILIES = {
    "mlp z^2": nagviz.Architecture((3, 2, 1), 2),
    "mlp deep z^3": nagviz.Architecture((2, 3, 2, 1), 3),
    "mlp two outputs": nagviz.Architecture((2, 2, 2), 2),
    "mlp z^3+z^2": nagviz.Architecture((2, 2, 1), "z^3 + z^2"),
    "mlp biases": nagviz.Architecture((2, 2, 1), 2, bias=True),
    "mlp linear": nagviz.Architecture((3, 1, 2), 1),
    "mlp linear wide": nagviz.Architecture((2, 3, 2), 1),
    "mlp linear biases": nagviz.Architecture((2, 3, 2), 1, bias=True),
    "cnn linear": CNNArchitecture((3, 2, 4)),
    "cnn z^2": CNNArchitecture((3, 3), 2),
    "cnn z^3+z^2": CNNArchitecture((2, 2), "z^3 + z^2"),
    "cnn long input": CNNArchitecture((2, 2), 2, input_length=5),
    "cnn linear strides": CNNArchitecture((3, 2, 2), strides=(2, 1, 1)),
    "cnn z^2 strides": CNNArchitecture((2, 3), 2, strides=(2, 1)),
    "cnn z^3+z^2 strides": CNNArchitecture((2, 2), "z^3 + z^2", strides=(2, 2), input_length=6),
    "attention": LightningAttention(1, 2, 1, tokens=2),
    "attention a=d": LightningAttention(1, 2, 2, tokens=2),
    "attention two layers": LightningAttention(2, 1, 1, tokens=2),
    "attention a>d": LightningAttention(1, 2, 3, tokens=2),
}
MODELS = [pytest.param(m, id=name) for name, m in FAMILIES.items()]


def _random_integer_point(model, rng, n_points):
    theta = rng.integers(1, P, size=(1, model.n_parameters), dtype=np.int64)
    X = rng.integers(1, P, size=(1, n_points, model.input_dimension), dtype=np.int64)
    return theta, X


@pytest.mark.parametrize("model", MODELS)
def test_counts_are_consistent(model):
    assert isinstance(model, Model)
    assert model.monomials_per_output == len(model.monomials())
    assert model.ambient_dimension == model.output_dimension * model.monomials_per_output
    assert sum(math.prod(shape) for _, shape in model.parameter_shapes) == model.n_parameters
    assert model.expected_dimension <= min(model.n_parameters, model.ambient_dimension)


@pytest.mark.parametrize("model", MODELS)
def test_dimension_between_bounds_and_fiber_is_params_minus_dim(model):
    r = nagviz.dimension(model)
    assert 0 <= r.dimension <= r.expected_dimension <= r.ambient_dimension
    assert r.fiber_dimension == model.n_parameters - r.dimension
    assert r.fiber_dimension >= model.symmetry_dimension
    assert r.model is model


@pytest.mark.parametrize("model", MODELS)
def test_forward_mode_jacobian_equals_the_family_jacobian_exactly(model):
    """The generic route (dual numbers over F_p) and the family's own route agree entry by
    entry modulo p; for the MLP the family's route is an independent backpropagation."""
    rng = np.random.default_rng(1)
    theta, X = _random_integer_point(model, rng, 5)
    ops = Residues(model.activation, P)
    generic = Model.jacobian(model, theta, X, ops)
    own = model.jacobian(theta, X, ops)
    assert generic.shape == (1, 5 * model.output_dimension, model.n_parameters)
    assert np.array_equal(generic % P, own % P)


@pytest.mark.parametrize("model", MODELS)
def test_float_jacobian_matches_finite_differences(model):
    rng = np.random.default_rng(2)
    theta = model.random_parameters(seed=3)
    X = rng.standard_normal((4, model.input_dimension))
    J = nagviz.jacobian_float(model, theta, X)
    h = 1e-6
    E = np.eye(model.n_parameters)
    fd = np.stack([(nagviz.evaluate(model, theta + h * e, X) - nagviz.evaluate(model, theta - h * e, X))
                   .reshape(-1) / (2 * h) for e in E], axis=-1)
    np.testing.assert_allclose(J, fd, rtol=1e-5, atol=1e-7 * np.abs(J).max())


@pytest.mark.parametrize("model", MODELS)
def test_exact_rank_equals_float_rank_where_well_conditioned(model):
    r = nagviz.dimension(model, cross_check=True)
    assert r.float_check.gap > 3  # small, well-conditioned models: floats are reliable
    assert r.float_agrees


@pytest.mark.parametrize("model", MODELS)
def test_function_is_invariant_along_the_symmetries(model):
    theta = model.random_parameters(seed=4)
    X = np.random.default_rng(5).standard_normal((6, model.input_dimension))
    D = model.symmetry_directions(theta)
    assert D.shape[1] == model.n_parameters
    # the Jacobian kills every symmetry direction, exactly in floating point up to rounding
    J = nagviz.jacobian_float(model, theta, X)
    assert np.abs(J @ D.T).max(initial=0) < 1e-9 * max(1.0, np.abs(J).max())
    if model.activation.is_monomial and model.activation.degree >= 2:
        # rescaling directions are independent: as many as the symmetry dimension
        assert np.linalg.matrix_rank(D) == model.symmetry_dimension
        # and moving along a finite orbit keeps the function to rounding
        f0 = nagviz.evaluate(model, theta, X)
        for direction in D:
            moved = _flow(theta, direction, t=0.6)
            assert np.abs(nagviz.evaluate(model, moved, X) - f0).max() < 1e-9 * max(1, np.abs(f0).max())
            assert np.abs(moved - theta).max() > 0.1  # the weights did move
    elif model.is_linear and model.activation.is_monomial:
        assert np.linalg.matrix_rank(D) == model.symmetry_dimension  # GL orbits = fibers
    elif isinstance(model, LightningAttention):
        assert np.linalg.matrix_rank(D) == model.symmetry_dimension  # GL(a), GL(d), rescalings
    else:
        assert D.shape[0] == 0


def _flow(theta, direction, t):
    """The flow of a rescaling generator: it is the linear vector field ``diag(s) theta``
    (``s = +1`` on incoming weights, ``-r`` on outgoing ones), so ``theta_i exp(s_i t)``."""
    s = np.divide(direction, theta, out=np.zeros_like(theta), where=theta != 0)
    return theta * np.exp(s * t)


@pytest.mark.parametrize("model", MODELS)
def test_size_guard_refuses_what_is_too_large(model):
    with pytest.raises(ArchitectureTooLargeError, match="too large"):
        nagviz.dimension(model, max_work=10)


@pytest.mark.parametrize("model", MODELS)
def test_coefficients_reproduce_evaluation(model):
    theta = model.random_parameters(seed=6)
    X = np.random.default_rng(7).standard_normal((5, model.input_dimension))
    C = nagviz.coefficients(model, theta)                       # (d_out, monomials)
    E = np.array(model.monomials())
    monos = np.prod(X[:, None, :] ** E[None, :, :], axis=-1)   # (N, monomials)
    np.testing.assert_allclose(monos @ C.T, nagviz.evaluate(model, theta, X), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_dual_numbers_over_floats_match_residues(model):
    """Forward mode over floats on an integer point equals forward mode over F_p."""
    rng = np.random.default_rng(8)
    theta = rng.integers(-3, 4, size=(1, model.n_parameters))
    X = rng.integers(-3, 4, size=(1, 3, model.input_dimension))
    Jf = Model.jacobian(model, theta.astype(float), X.astype(float), Floats(model.activation))
    if np.abs(Jf).max() < 2**50:
        Jp = Model.jacobian(model, theta % P, X % P, Residues(model.activation, P))
        assert np.array_equal(np.rint(Jf).astype(np.int64) % P, Jp)


def test_duals_product_rule_by_hand():
    from nagviz._arithmetic import Dual

    d = Duals(Floats(nagviz.Activation.monomial(2)))
    x = d.seed(np.array([[3.0, 5.0]]))                 # two parameters a=3, b=5
    y = d.mul(x[:, 0], x[:, 1])                         # a b
    assert y.value.tolist() == [15.0] and y.tangent.tolist() == [[5.0, 3.0]]
    z = d.activation(d.add(x[:, 0], Dual(np.array([1.0]))))   # (a + 1)^2
    assert z.value.tolist() == [16.0] and z.tangent.tolist() == [[8.0, 0.0]]


def test_cnn_rank_from_the_contract_equals_an_independent_sympy_rank():
    """Polynomial CNN: the engine's dimension against a plain sympy Jacobian of the
    coefficient map (no nagviz arithmetic involved)."""
    import sympy

    cnn = CNNArchitecture((2, 2), 2)
    a, b, u, v = sympy.symbols("a b u v")
    x = sympy.symbols("x0:3")
    f = sympy.expand(u * (a * x[0] + b * x[1]) ** 2 + v * (a * x[1] + b * x[2]) ** 2)
    coeffs = sympy.Poly(f, *x).coeffs()
    J = sympy.Matrix(coeffs).jacobian([a, b, u, v])
    point = {a: 2, b: 3, u: 5, v: 7}
    assert J.subs(point).rank() == nagviz.dimension(cnn).dimension == 3


@pytest.mark.parametrize("model", MODELS)
def test_coefficient_map_fast_routes_agree_with_the_generic_route(model):
    """The closed-form shallow kernels (MLP, tied CNN) against the generic FFT route."""
    from nagviz._coefficient_map import CoefficientMap

    theta = np.stack([model.random_parameters(seed=s) for s in range(3)])
    fast, generic = model.coefficient_map(), CoefficientMap(model)
    c1, J1 = fast.coefficients_and_jacobian(theta)
    c2, J2 = generic.coefficients_and_jacobian(theta)
    np.testing.assert_allclose(c1, c2, atol=1e-9)
    np.testing.assert_allclose(J1, J2, atol=1e-9)
    np.testing.assert_allclose(fast.coefficients(theta), c2, atol=1e-9)
    A = np.eye(model.ambient_dimension)
    b = np.ones((3, model.ambient_dimension))
    L1, g1 = fast.loss_gradient(theta, A, b)
    L2, g2 = generic.loss_gradient(theta, A, b)
    np.testing.assert_allclose(L1, L2, rtol=1e-9)
    np.testing.assert_allclose(g1, g2, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_hidden_units_partition_their_parameters(model):
    units = model.hidden_units()
    seen = [i for u in units for i in u.incoming]
    assert len(seen) == len(set(seen)) and all(0 <= i < model.n_parameters for i in seen)
    if isinstance(model, nagviz.Architecture):
        assert len(units) == model.hidden_neurons
    elif isinstance(model, CNNArchitecture):
        assert len(units) == model.n_parameters
    else:
        assert units == ()
