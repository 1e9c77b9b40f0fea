"""Lightning self-attention (nagviz.attention): forward pass, symmetries, dimension."""

import numpy as np
import pytest
import sympy

import nagviz
from nagviz.architecture import InvalidArchitectureError
from nagviz.attention import LightningAttention, attention_dimension_formula


def _attention_by_hand(blocks, X, layers):
    """out_i = sum_j <Q x_i, K x_j> V x_j with explicit loops over tokens."""
    h = [np.array(x, dtype=float) for x in X]
    for k in range(layers):
        Q, K, V = blocks[3 * k:3 * k + 3]
        h = [sum(float((Q @ hi) @ (K @ hj)) * (V @ hj) for hj in h) for hi in h]
    return np.concatenate(h)


@pytest.mark.parametrize("l, d, a, T", [(1, 3, 2, 3), (2, 2, 1, 3), (1, 2, 3, 2)])
def test_forward_pass_is_the_attention_formula(l, d, a, T):
    m = LightningAttention(l, d, a, tokens=T)
    theta = m.random_parameters(seed=1)
    blocks = [b for b in m.split(theta).values()]
    X = np.random.default_rng(2).standard_normal((4, T * d))
    got = nagviz.evaluate(m, theta, X)
    want = np.array([_attention_by_hand(blocks, x.reshape(T, d), l) for x in X])
    np.testing.assert_allclose(got, want, rtol=1e-10)


@pytest.mark.parametrize("l, d, a, want", [(1, 3, 2, 16), (2, 3, 2, 23)])
def test_issue_values_with_enough_tokens(l, d, a, want):
    r = nagviz.dimension(LightningAttention(l, d, a, tokens=3))
    assert r.dimension == want == attention_dimension_formula(l, d, a)
    assert r.certified


@pytest.mark.parametrize("l, d, a", [(1, 1, 1), (1, 2, 1), (1, 2, 2), (2, 2, 1), (1, 3, 1),
                                     (1, 3, 3), (2, 2, 2), (1, 2, 3)])
def test_formula_equals_engine_from_two_tokens_on(l, d, a):
    for T in (2, 3):
        assert nagviz.dimension(LightningAttention(l, d, a, tokens=T)).dimension == \
            attention_dimension_formula(l, d, a)


def test_one_token_sees_only_the_symmetric_part_of_QtK():
    # T = 1: out = (x^T Q^T K x) V x depends on the symmetric part of Q^T K only.
    # Q^T K has rank <= 2 in 3x3 (dimension 8); its symmetric part is any symmetric
    # matrix of signature allowed by rank <= 2 + its transpose: 6 dimensions; with V and
    # one rescaling, 6 + 9 - 1 = 14 < 16.
    r = nagviz.dimension(LightningAttention(1, 3, 2, tokens=1))
    assert r.dimension == 14 and r.defect == 2


def _sympy_rank(l, d, a, T, seed=0):
    """Rank of the Jacobian of the coefficient map, computed with sympy alone."""
    rng = np.random.default_rng(seed)
    params, blocks = [], []
    for k in range(l):
        for name, shape in (("Q", (a, d)), ("K", (a, d)), ("V", (d, d))):
            syms = sympy.symbols(f"{name}{k}_0:{shape[0] * shape[1]}")
            params += syms
            blocks.append(sympy.Matrix(shape[0], shape[1], syms))
    xs = sympy.symbols(f"x0:{T * d}")
    h = [sympy.Matrix(xs[t * d:(t + 1) * d]) for t in range(T)]
    for k in range(l):
        Q, K, V = blocks[3 * k:3 * k + 3]
        h = [sum(((Q * hi).dot(K * hj) * (V * hj) for hj in h), sympy.zeros(d, 1)) for hi in h]
    coeffs = []
    for out in h:
        for entry in out:
            coeffs += sympy.Poly(sympy.expand(entry), *xs).coeffs()
    J = sympy.Matrix(coeffs).jacobian(params)
    values = rng.integers(1, 1000, len(params)) * rng.choice([-1, 1], len(params))  # no zeros
    point = {p: int(v) for p, v in zip(params, values)}
    return J.subs(point).rank()


@pytest.mark.parametrize("l, d, a, T", [(1, 2, 1, 2), (1, 3, 2, 1), (1, 2, 2, 2), (2, 1, 1, 2)])
def test_engine_agrees_with_a_plain_sympy_jacobian(l, d, a, T):
    assert _sympy_rank(l, d, a, T) == nagviz.dimension(LightningAttention(l, d, a, tokens=T)).dimension


def test_counts_and_symmetries():
    m = LightningAttention(2, 3, 2)
    assert m.tokens == 4 and m.n_parameters == 2 * (2 * 2 * 3 + 9)
    assert m.symmetry_dimension == 2 * (4 + 1) + 9       # GL(a) and a rescaling per layer, GL(d) between
    assert m.output_degrees == (9,) and m.parameter_degree == 12
    theta = m.random_parameters(seed=3)
    D = m.symmetry_directions(theta)
    assert D.shape == (19, 42) and np.linalg.matrix_rank(D) == 19
    # a finite GL(a) move leaves the function unchanged
    blocks = m.split(theta)
    A = np.array([[2.0, 1.0], [0.5, 1.5]])
    blocks["Q1"], blocks["K1"] = A @ blocks["Q1"], np.linalg.inv(A).T @ blocks["K1"]
    moved = np.concatenate([b.ravel() for b in blocks.values()])
    X = np.random.default_rng(4).standard_normal((3, m.input_dimension))
    np.testing.assert_allclose(nagviz.evaluate(m, moved, X), nagviz.evaluate(m, theta, X), rtol=1e-9)
    assert m.identity() == {"layers": 2, "token_dim": 3, "attention_dim": 2, "tokens": 4,
                            "activation": "lightning attention"}


@pytest.mark.parametrize("args, match", [((0, 3, 2), "layers"), ((1, 3, 2.5), "attention_dim"),
                                         ((1, True, 2), "token_dim"), ((9, 1, 1), "at most 6")])
def test_bad_input_is_refused_in_one_line(args, match):
    with pytest.raises(InvalidArchitectureError, match=match):
        LightningAttention(*args)
    with pytest.raises(InvalidArchitectureError, match="tokens"):
        LightningAttention(1, 2, 1, tokens=0)
