import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from nagviz import Architecture, ArchitectureTooLargeError, dimension, float_rank, output_polynomials
from nagviz.jacobian_rank import (_compressed_rank_mod_p, _matmul_mod, jacobian_float, jacobian_mod_p,
                              rank_mod_p)

# MATH.md section 3: (widths, activation) -> (ambient, expected, true dimension)
FACTS = [
    ((2, 1, 1), 2, (3, 2, 2)),
    ((2, 2, 1), 2, (3, 3, 3)),
    ((2, 2, 2), 2, (6, 6, 6)),
    ((3, 2, 1), 2, (6, 6, 5)),
    ((3, 5, 1), 4, (15, 15, 14)),
    ((3, 3, 3), 2, (18, 15, 15)),
    ((2, 1, 2, 1), 2, (5, 3, 2)),
    ((3, 1, 2), 1, (6, 4, 4)),
    ((2, 2, 1), "z^3 + z^2", (7, 6, 6)),
    ((2, 3, 3, 3, 1), 3, (28, 18, 18)),
    ((3, 3, 3, 1), 2, (15, 15, 12)),  # first layer as wide as the input
]


@pytest.mark.parametrize("widths, act, want", FACTS)
def test_math_md_facts(widths, act, want):
    r = dimension(Architecture(widths, act))
    assert (r.ambient_dimension, r.expected_dimension, r.dimension) == want
    assert r.defect == want[1] - want[2]
    assert r.fiber_dimension == r.parameters - want[2]
    assert r.filling == (want[2] == want[0])
    assert r.certified == (r.defect == 0)


def test_hypersurface_with_generic_activation():
    r = dimension(Architecture((2, 2, 1), "z^3 + z^2"))
    assert r.dimension == r.parameters == 6 and r.ambient_dimension == 7 and r.fiber_dimension == 0


def test_float_svd_is_wrong_for_deep_high_degree_and_says_so():
    r = dimension(Architecture((2, 3, 3, 3, 1), 3), cross_check=True)
    assert r.dimension == 18
    assert r.float_check.rank < 18 and r.float_agrees is False
    assert "DISAGREES" in repr(r)


# Alexander-Hirschowitz: shallow, one output, n variables, k neurons, degree r
AH_EXCEPTIONS = [(3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)]


@pytest.mark.parametrize("n, k, r", AH_EXCEPTIONS)
def test_alexander_hirschowitz_exceptions(n, k, r):
    res = dimension(Architecture((n, k, 1), r))
    expected = min(n * k, math.comb(n + r - 1, r))
    assert res.expected_dimension == expected and res.dimension == expected - 1


@pytest.mark.parametrize("n, k, r", [(3, 4, 4), (3, 6, 4), (4, 8, 4), (4, 10, 4), (5, 6, 3),
                                     (5, 8, 3), (2, 3, 5), (3, 3, 3), (3, 4, 3), (4, 5, 3)])
def test_alexander_hirschowitz_non_exceptions(n, k, r):
    res = dimension(Architecture((n, k, 1), r))
    assert res.dimension == min(n * k, math.comb(n + r - 1, r))


@pytest.mark.parametrize("n, k", [(3, 2), (4, 2), (4, 3), (5, 3), (3, 3), (2, 5)])
def test_quadrics_of_bounded_rank(n, k):
    # symmetric n x n matrices of rank <= k: dimension k n - k(k-1)/2
    m = min(k, n)
    assert dimension(Architecture((n, k, 1), 2)).dimension == m * n - m * (m - 1) // 2


@pytest.mark.parametrize("widths", [(3, 1, 2), (2, 3, 2), (4, 2, 3, 5), (5, 3, 4), (2, 2, 2, 2),
                                    (6, 4, 5, 3, 6)])
def test_linear_networks_are_determinantal(widths):
    k, d0, dl = min(widths), widths[0], widths[-1]
    assert dimension(Architecture(widths, 1)).dimension == k * (d0 + dl - k)
    assert dimension(Architecture(widths, 1, bias=True)).dimension == k * (d0 + dl - k) + dl


def test_width_one_bottleneck_defective_for_every_r():
    for r in range(2, 6):
        res = dimension(Architecture((2, 1, 2, 1), r))
        assert res.dimension == 2 and res.is_defective


def _symbolic_rank(arch, seed=0):
    """Straightforward sympy: Jacobian of the coefficient vector at a random integer point."""
    polys = output_polynomials(arch)
    xs = sympy.symbols("x y z")[: arch.widths[0]]
    syms = sorted(set().union(*(p.free_symbols for p in polys)) - set(xs), key=str)
    coeffs = []
    for p in polys:
        coeffs += sympy.Poly(p, *xs).coeffs()
    J = sympy.Matrix(coeffs).jacobian(syms)
    rng = np.random.default_rng(seed)
    point = {s: int(v) for s, v in zip(syms, rng.integers(-9, 10, len(syms)))}
    return J.subs(point).rank()


@pytest.mark.parametrize("widths, act, bias", [((2, 1, 1), 2, False), ((3, 2, 1), 2, False),
                                               ((2, 2, 1), "z^3 + z^2", False),
                                               ((2, 2, 1), 2, True), ((2, 1, 2, 1), 2, False)])
def test_agrees_with_symbolic_route(widths, act, bias):
    arch = Architecture(widths, act, bias=bias)
    assert dimension(arch).dimension == max(_symbolic_rank(arch, s) for s in range(2))


@pytest.mark.parametrize("widths, act, bias", [((2, 3, 1), 2, False), ((3, 2, 2), 3, True),
                                               ((2, 2, 2, 1), "z^3 + z^2", False),
                                               ((3, 2, 2), 1, True)])
def test_exact_and_float_jacobians_match_on_small_integers(widths, act, bias):
    arch = Architecture(widths, act, bias=bias)
    rng = np.random.default_rng(5)
    theta = rng.integers(-2, 3, arch.n_parameters)
    X = rng.integers(-2, 3, (4, widths[0]))
    p = 2_147_483_647
    exact = jacobian_mod_p(arch, theta % p, X % p, p)
    flt = np.rint(jacobian_float(arch, theta, X)).astype(np.int64) % p
    np.testing.assert_array_equal(exact, flt)


def _rank_mod_p_numpy(M, p):
    """Plain Gaussian elimination over F_p: an independent reference for the FLINT path."""
    M = np.array(M, dtype=np.int64) % p
    rows, cols = M.shape
    rank = 0
    for c in range(cols):
        if rank == rows:
            break
        nz = np.nonzero(M[rank:, c])[0]
        if nz.size == 0:
            continue
        piv = rank + nz[0]
        M[[rank, piv]] = M[[piv, rank]]
        inv = pow(int(M[rank, c]), -1, p)
        M[rank] = M[rank] * inv % p
        factors = M[rank + 1:, c].copy()
        M[rank + 1:] = (M[rank + 1:] - factors[:, None] * M[rank] % p) % p
        rank += 1
    return rank


def test_rank_mod_p_flint_matches_numpy_elimination():
    rng = np.random.default_rng(2)
    p = 1_000_003
    for _ in range(10):
        m, n, k = rng.integers(1, 12, 3)
        product = rng.integers(0, 1000, (m, k)) @ rng.integers(0, 5, (k, n))
        over_q = np.linalg.matrix_rank(product.astype(float))  # small entries: floats are exact
        assert rank_mod_p(product % p, p) == _rank_mod_p_numpy(product, p) == over_q


def test_matmul_mod_is_exact():
    p = 2_147_483_647
    rng = np.random.default_rng(4)
    A, B = rng.integers(0, p, (7, 300)), rng.integers(0, p, (300, 5))
    want = [[sum(int(a) * int(b) for a, b in zip(row, col)) % p for col in B.T] for row in A]
    assert _matmul_mod(A, B, p).tolist() == want


def test_sketched_rank_is_the_rank():
    p = 2_147_483_647
    rng = np.random.default_rng(6)
    for k in (1, 5, 17):
        J = _matmul_mod(rng.integers(0, p, (90, k)), rng.integers(0, p, (k, 40)), p)
        assert rank_mod_p(J, p) == k
        assert _compressed_rank_mod_p(J, p, k + 2, rng) == k


def test_result_records_method_and_is_reproducible():
    a = dimension((3, 2, 1), seed=7, trials=3)
    b = dimension((3, 2, 1), seed=7, trials=3)
    assert a == b
    assert (a.prime, a.seed, a.trials, len(a.ranks)) == (2_147_483_647, 7, 3, 3)
    assert "modulo a prime" in a.method and "seed = 7" in repr(a)
    assert "<table>" in a._repr_html_()
    certain = dimension((2, 2, 1))
    assert certain.certified and certain.trials == 1 and certain.ranks == (3,)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(trials=0), "trials"), (dict(seed="a"), "seed"), (dict(max_work=10), "too large"),
    (dict(prime=2**40), "prime"), (dict(prime=2**31), "not a prime"), (dict(prime=1.5), "prime")])
def test_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        dimension((3, 2, 1), **kwargs)


def test_too_large_is_refused_at_once():
    # "At once" (under 0.5 s) is measured by benchmarks/timings.py, not asserted here.
    with pytest.raises(ArchitectureTooLargeError, match="limit"):
        dimension((40, 40, 40, 40, 40), 5)


# ---------------------------------------------------------------- properties
shallowish = st.lists(st.integers(1, 4), min_size=3, max_size=4)


@settings(max_examples=30, deadline=None)
@given(widths=shallowish, r=st.integers(1, 4), bias=st.booleans())
def test_dimension_at_most_expected_and_ambient(widths, r, bias):
    arch = Architecture(widths, r, bias=bias)
    res = dimension(arch)
    assert res.dimension <= arch.expected_dimension <= arch.ambient_dimension
    if r >= 2:
        assert res.dimension <= arch.n_parameters - arch.hidden_neurons


@settings(max_examples=25, deadline=None)
@given(widths=shallowish, r=st.integers(1, 4), data=st.data())
def test_adding_a_neuron_never_lowers_dimension(widths, r, data):
    layer = data.draw(st.integers(1, len(widths) - 2))
    wider = list(widths)
    wider[layer] += 1
    assert dimension(Architecture(wider, r)).dimension >= dimension(Architecture(widths, r)).dimension


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 4), k=st.integers(1, 4), out=st.integers(1, 2), r=st.integers(1, 3))
def test_exact_and_float_ranks_agree_when_well_conditioned(n, k, out, r):
    arch = Architecture((n, k, out), r)
    fl = float_rank(arch, seed=1)
    assert fl.gap > 4  # well separated singular values
    assert fl.rank == dimension(arch).dimension


def test_sketch_only_where_it_pays_and_rank_mod_p_checks_its_input(monkeypatch):
    import importlib
    dm = importlib.import_module("nagviz.jacobian_rank")  # the attribute nagviz.dimension is the function
    p = 2_147_483_647
    rng = np.random.default_rng(8)
    J = _matmul_mod(rng.integers(0, p, (24, 20)), rng.integers(0, p, (20, 26)), p)  # rank 20
    calls = []
    monkeypatch.setattr(dm, "_matmul_mod", lambda *a: calls.append(a[0].shape) or _matmul_mod(*a))
    assert dm._compressed_rank_mod_p(J, p, 22, rng) == 20 and calls == []  # 24, 26 < 1.5 * 22
    tall = np.vstack([J, J, J])                                              # 72 rows
    assert dm._compressed_rank_mod_p(tall, p, 22, rng) == 20 and calls == [(22, 72)]
    assert rank_mod_p([[-1, 1], [1, -1]], p=7) == 1                          # negatives reduced
    assert rank_mod_p(np.zeros((0, 3), dtype=int)) == 0
    with pytest.raises(ValueError, match="matrix"):
        rank_mod_p([1, 2, 3])
