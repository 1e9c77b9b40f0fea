"""1-D polynomial CNNs: parameterization, exact Jacobians, dimensions (nagviz.cnn)."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from nagviz.architecture import InvalidArchitectureError
import nagviz
from nagviz.jacobian_rank import rank_mod_p
from nagviz.cnn import (CNNArchitecture, cnn_coefficients, cnn_dimension, cnn_evaluate,
                        cnn_jacobian_float, cnn_jacobian_mod_p, end_to_end_filter,
                        lcn_jacobian_mod_p, split_filters, strided_end_to_end_filter)
from nagviz.jacobian_rank import rank_mod_p
from nagviz._models import _model

P = 2_147_483_647


def test_math_md_lcn_fact():
    """MATH.md: the stride-one LCN with filter sizes (3, 2, 4) has dimension 7."""
    r = cnn_dimension((3, 2, 4))
    assert r.dimension == 7 == sum((3, 2, 4)) - (3 - 1)
    assert r.ambient_dimension == 7  # filling: every degree-6 filter over C factors
    assert isinstance(r, nagviz.DimensionResult) and r.certified


def test_lcn_dimension_agrees_between_product_and_evaluation_routes():
    # the engine's route (forward pass in dual numbers at random inputs) against the
    # closed-form Jacobian of the polynomial product, on random integer filters
    rng = np.random.default_rng(5)
    for sizes in [(3, 2, 4), (2, 2), (4, 4, 4), (1, 3), (2, 3, 2, 2)]:
        theta = rng.integers(1, P, size=sum(sizes))
        product_rank = rank_mod_p(lcn_jacobian_mod_p(sizes, theta, p=P), P)
        assert cnn_dimension(sizes).dimension == product_rank == sum(sizes) - len(sizes) + 1
    # a longer input gives shifted copies of the same filter: same dimension
    long = CNNArchitecture((3, 2, 4), 1, input_length=9)
    assert cnn_dimension(long).dimension == 7


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_lcn_dimension_is_sum_minus_layers_plus_one(sizes):
    assert cnn_dimension(tuple(sizes)).dimension == sum(sizes) - len(sizes) + 1


def test_end_to_end_filter_is_the_polynomial_product():
    rng = np.random.default_rng(0)
    filters = [rng.standard_normal(k) for k in (3, 2, 4)]
    # numpy's polymul wants the highest power first
    want = np.polymul(np.polymul(filters[0][::-1], filters[1][::-1]), filters[2][::-1])[::-1]
    np.testing.assert_allclose(end_to_end_filter(filters), want)
    cnn = CNNArchitecture((3, 2, 4))
    theta = np.concatenate(filters)
    np.testing.assert_allclose(cnn_coefficients(cnn, theta)[0], want, atol=1e-12)


def test_lcn_jacobian_is_exact():
    theta = [2, -1, 3, 1, 1, 5, 0, 2, -4]
    J = lcn_jacobian_mod_p((3, 2, 4), theta, p=P)
    # compare with the derivative of the integer product, computed by hand
    filters = split_filters(CNNArchitecture((3, 2, 4)), np.array(theta))
    for col in range(9):
        e = np.zeros(9, dtype=int)
        e[col] = 1
        bumped = split_filters(CNNArchitecture((3, 2, 4)), np.array(theta) + e)
        diff = end_to_end_filter([f.astype(object) for f in bumped]) - \
            end_to_end_filter([f.astype(object) for f in filters])
        # the product is linear in each filter, so a unit step is the exact derivative
        assert [int(x) % P for x in diff] == J[:, col].tolist()


def test_lcn_rank_drops_when_filters_share_a_root():
    # (1 - t)(1 + t) and (1 + t): the factors share the root -1
    J = lcn_jacobian_mod_p((3, 2), [1, 0, -1, 1, 1], p=P)
    assert rank_mod_p(J, P) == 3
    J = lcn_jacobian_mod_p((3, 2), [1, 0, -1, 2, 1], p=P)  # coprime factors
    assert rank_mod_p(J, P) == 4


@pytest.mark.parametrize("sizes, act, want", [
    ((3, 3), 2, 5),             # z^2: one rescaling lost
    ((3, 3), "z^3 + z^2", 6),   # generic polynomial: one-to-one, dim = #params
    ((2, 2, 2), 2, 4),
    ((2, 3), "z^3 + z^2", 5),
])
def test_polynomial_cnn_dimensions(sizes, act, want):
    assert cnn_dimension(CNNArchitecture(sizes, act)).dimension == want


def test_coefficients_reproduce_evaluation():
    cnn = CNNArchitecture((3, 2), "z^3 + z^2")
    rng = np.random.default_rng(1)
    theta = rng.standard_normal(cnn.n_parameters)
    X = rng.standard_normal((6, cnn.input_length))
    coeffs = cnn_coefficients(cnn, theta)[0]
    mons = np.array(cnn.monomials())
    values = np.prod(X[:, None, :] ** mons[None], axis=-1) @ coeffs
    np.testing.assert_allclose(values, cnn_evaluate(cnn, theta, X)[:, 0], rtol=1e-10)


def test_evaluation_by_hand():
    # u0 s(a x0 + b x1) + u1 s(a x1 + b x2) with s = z^2
    cnn = CNNArchitecture((2, 2), 2)
    a, b, u0, u1 = 1.0, -2.0, 3.0, 0.5
    x = np.array([[0.3, -1.1, 2.0]])
    want = u0 * (a * x[0, 0] + b * x[0, 1]) ** 2 + u1 * (a * x[0, 1] + b * x[0, 2]) ** 2
    assert cnn_evaluate(cnn, [a, b, u0, u1], x)[0, 0] == pytest.approx(want)


def test_jacobians_float_and_mod_p_agree_with_finite_differences():
    cnn = CNNArchitecture((2, 3), "z^3 + z^2")
    rng = np.random.default_rng(2)
    theta = rng.standard_normal(cnn.n_parameters)
    X = rng.standard_normal((5, cnn.input_length))
    J = cnn_jacobian_float(cnn, theta, X)
    h = 1e-6
    fd = np.stack([(cnn_evaluate(cnn, theta + h * e, X) - cnn_evaluate(cnn, theta - h * e, X))
                   .ravel() / (2 * h) for e in np.eye(cnn.n_parameters)], axis=1)
    np.testing.assert_allclose(J, fd, atol=1e-6)
    # integer points: the float Jacobian is an exact integer matrix, so it must agree mod p
    ti = rng.integers(-3, 4, cnn.n_parameters)
    Xi = rng.integers(-3, 4, (4, cnn.input_length))
    Jf = np.rint(cnn_jacobian_float(cnn, ti.astype(float), Xi.astype(float))).astype(np.int64)
    assert (Jf % P == cnn_jacobian_mod_p(cnn, ti, Xi, P)).all()


def test_two_layer_cnn_is_a_tied_mlp():
    cnn = CNNArchitecture((3, 2), "z^3 + z^2")
    model = _model(cnn)
    from nagviz._coefficient_map import TiedKernel

    assert isinstance(model.map, TiedKernel)
    theta = np.random.default_rng(3).standard_normal((4, cnn.n_parameters))
    np.testing.assert_allclose(model.coefficients(theta),
                               cnn_coefficients(cnn, theta).reshape(4, -1), atol=1e-12)


def test_invalid_architectures_explain_themselves():
    with pytest.raises(InvalidArchitectureError, match="positive integers"):
        CNNArchitecture((3, 0))
    with pytest.raises(InvalidArchitectureError, match="at least 4"):
        CNNArchitecture((3, 2), input_length=3)
    with pytest.raises(ValueError, match="parameters"):
        split_filters(CNNArchitecture((3, 2)), [1.0, 2.0])


# -- strides -----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, want", [((3, 2, 4), 7), ((2, 2), 3), ((4, 4, 4), 10)])
def test_issue_lcn_values(sizes, want):
    r = cnn_dimension(sizes)
    assert r.dimension == want and r.filling and r.certified


def test_strided_lengths_and_default_input():
    c = CNNArchitecture((3, 2, 4), strides=(2, 2, 1))
    # one output needs 4 taps of layer 3, i.e. 2*3 + 2 = 8 of layer 2, i.e. 2*7 + 3 = 17 inputs
    assert c.input_length == 17 and c.layer_lengths == (17, 8, 4, 1)
    assert CNNArchitecture((3, 2, 4)).strides == (1, 1, 1)
    longer = CNNArchitecture((3, 2), input_length=11, strides=(2, 3))
    assert longer.layer_lengths == (11, 5, 2) and longer.output_dimension == 2
    assert longer.identity() == {"filter_sizes": [3, 2], "strides": [2, 3], "activation": "z",
                                 "input_length": 11}
    with pytest.raises(InvalidArchitectureError, match="at least 17"):
        CNNArchitecture((3, 2, 4), input_length=16, strides=(2, 2, 1))


def test_strided_evaluation_by_hand():
    # h[j] = a x[2j] + b x[2j+1] (stride 2), then u h[0]^2 + v h[1]^2 ... on 6 inputs
    c = CNNArchitecture((2, 2), 2, strides=(2, 1))
    a, b, u, v = 1.5, -2.0, 0.5, 3.0
    x = np.array([[0.3, -1.1, 2.0, 0.7]])
    want = u * (a * x[0, 0] + b * x[0, 1]) ** 2 + v * (a * x[0, 2] + b * x[0, 3]) ** 2
    assert cnn_evaluate(c, [a, b, u, v], x)[0, 0] == pytest.approx(want)


def test_strided_lcn_filter_is_w1_of_t_times_w2_of_t_to_the_stride():
    rng = np.random.default_rng(0)
    for sizes, strides in [((3, 2, 4), (2, 2, 1)), ((2, 3), (3, 1)), ((4, 2), (1, 1))]:
        c = CNNArchitecture(sizes, strides=strides)
        theta = rng.standard_normal(c.n_parameters)
        w = split_filters(c, theta)
        # the product written with numpy polynomials in t, independent of the spreading code
        poly = np.polynomial.Polynomial([1.0])
        power = 1
        for wi, s in zip(w, strides):
            spread = np.zeros(power * (len(wi) - 1) + 1)
            spread[::power] = wi
            poly = poly * np.polynomial.Polynomial(spread)
            power *= s
        np.testing.assert_allclose(cnn_coefficients(c, theta)[0], poly.coef, atol=1e-12)
        np.testing.assert_allclose(strided_end_to_end_filter(w, strides), poly.coef, atol=1e-12)


def _sympy_cnn_rank(sizes, strides, act, seed=0):
    """Jacobian rank of the coefficient map of a 1-D CNN written out in plain sympy."""
    rng = np.random.default_rng(seed)
    z = sympy.Symbol("z")
    sigma = sympy.Lambda(z, sympy.sympify(act.replace("^", "**")))
    filters = [sympy.symbols(f"w{i}_0:{k}") for i, k in enumerate(sizes)]
    n = CNNArchitecture(sizes, strides=strides).input_length
    xs = sympy.symbols(f"x0:{n}")
    h = list(xs)
    for i, (w, s) in enumerate(zip(filters, strides)):
        length = (len(h) - len(w)) // s + 1
        h = [sum(w[m] * h[s * j + m] for m in range(len(w))) for j in range(length)]
        if i < len(sizes) - 1:
            h = [sigma(e) for e in h]
    coeffs = [c for out in h for c in sympy.Poly(sympy.expand(out), *xs).coeffs()]
    params = [p for w in filters for p in w]
    J = sympy.Matrix(coeffs).jacobian(params)
    values = rng.integers(1, 1000, len(params)) * rng.choice([-1, 1], len(params))
    return J.subs(dict(zip(params, (int(v) for v in values)))).rank()


@pytest.mark.parametrize("sizes, strides, act, want", [
    ((3, 3), (1, 1), "z^2", 5),          # monomial: one rescaling per hidden layer lost
    ((3, 3), (2, 1), "z^2", 5),
    ((2, 2, 2), (2, 2, 1), "z^2", 4),
    ((3, 3), (1, 1), "z^3 + z^2", 6),    # generic: one-to-one, dim = #params
    ((3, 3), (2, 1), "z^3 + z^2", 6),
    ((2, 3), (3, 1), "z^3 + z^2", 5),
    ((2, 2), (2, 1), "z", 3),            # strided LCN: w1(t) w2(t^2) = a rank-one 2x2 matrix
    ((3, 2, 2), (2, 1, 1), "z", 5),
])
def test_polynomial_cnn_dimension_against_plain_sympy(sizes, strides, act, want):
    engine = cnn_dimension(CNNArchitecture(sizes, act, strides=strides)).dimension
    assert engine == _sympy_cnn_rank(sizes, strides, act) == want


def test_invalid_strides_explain_themselves():
    with pytest.raises(InvalidArchitectureError, match="2 positive integers"):
        CNNArchitecture((3, 2), strides=(1,))
    with pytest.raises(InvalidArchitectureError, match="positive integers"):
        CNNArchitecture((3, 2), strides=(1, 0))
    with pytest.raises(InvalidArchitectureError, match="sequence"):
        CNNArchitecture((3, 2), strides=2)
    with pytest.raises(ValueError, match="strides"):
        strided_end_to_end_filter([[1, 2]], (1, 2))


# -- real factorization --------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [(3, 3, 3), (3, 2, 4), (2, 2), (4, 2), (5, 3), (2, 2, 2), (1, 4, 3)])
def test_lcn_fills_the_reals_exactly_when_random_filters_are_all_reached(sizes):
    from nagviz.cnn import lcn_fills_reals, reachable_fraction

    fraction = reachable_fraction(sizes, 600, seed=3)
    if lcn_fills_reals(sizes):
        assert fraction == 1.0
    else:
        assert fraction < 0.95
    # the count of even sizes decides
    assert lcn_fills_reals(sizes) == (sum(k % 2 == 0 for k in sizes) <= 1)


def test_real_factorization_builds_real_factors_of_the_right_sizes():
    from nagviz.cnn import real_factorization

    rng = np.random.default_rng(7)
    for _ in range(50):
        target = rng.standard_normal(7)
        factors = real_factorization(target, (3, 3, 3))      # always possible: fills
        assert factors is not None and [len(w) for w in factors] == [3, 3, 3]
        np.testing.assert_allclose(end_to_end_filter(factors), target, atol=1e-8)
    with pytest.raises(ValueError, match="length 5"):
        real_factorization([1.0, 2.0], (3, 3))
    with pytest.raises(ValueError, match="nonzero"):
        real_factorization([1.0, 2.0, 0.0], (2, 2))


@pytest.mark.parametrize("sizes", [(3, 3, 3), (3, 2, 4), (2, 4), (4, 4, 4), (2, 2), (2, 2, 2),
                                   (2, 2, 2, 2), (2, 3, 2, 5)])
def test_reachable_fraction_counts_what_real_factorization_finds(sizes):
    """The batched count (companion matrices at once) equals the one-by-one factorization
    of the same random filters, target by target."""
    from nagviz.cnn import reachable_fraction, real_factorization

    for seed in (0, 1):
        rng = np.random.default_rng(seed)
        length = sum(sizes) - len(sizes) + 1
        hits = sum(real_factorization(rng.standard_normal(length), sizes) is not None
                   for _ in range(500))
        assert reachable_fraction(sizes, 500, seed=seed) == hits / 500
