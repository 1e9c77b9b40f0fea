"""The explorers of notebook 06, without a kernel: move sliders, look at the figure data."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nagviz
from nagviz.cnn import end_to_end_filter, real_factorization
from nagviz.explorers import (ApproximationExplorer, AttentionExplorer, FilterFactorExplorer,
                              ReLURegionsExplorer)
from nagviz.explorers.beyond import target_filter
from nagviz.relu import ReLUNetwork, linear_regions

ALL = [FilterFactorExplorer, AttentionExplorer, ReLURegionsExplorer, ApproximationExplorer]


def trace(fig, name):
    for t in fig.data:
        if (t.name or "").startswith(name):
            return t
    raise KeyError(f"no trace named {name!r}: {[t.name for t in fig.data]}")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_explorer_has_a_question_a_static_slider_and_matching_defaults(cls):
    e = cls()
    assert e.question and e.title
    assert e.defaults() == {name: w.value for name, w in e.make_controls().items()}
    steps = e.static_figure().layout.sliders[0].steps
    assert [s.label for s in steps] == [str(v) for v in cls.static_values]


def _snapshot(fig):
    return json.dumps([fig.layout.title.text] + [t.to_plotly_json() for t in fig.data],
                      sort_keys=True, default=str)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_control_updates_the_figure_in_place(cls):
    e = cls()
    e.widget()
    fig = e.figure_widget
    for name, control in e.controls.items():
        options = getattr(control, "options", None)
        start = control.value
        values = [v for v in (list(options) if options else [control.max, control.min]) if v != start]
        before = _snapshot(fig)
        changed = False
        for value in values:
            control.value = value
            changed |= _snapshot(fig) != before
        assert changed, f"moving {name} did not change the figure"
        control.value = start                     # and back: the same figure again
        assert e.figure_widget is fig and _snapshot(fig) == before, name


# -- filters ---------------------------------------------------------------------------------

def test_target_filters_have_the_requested_roots():
    for degree, pairs in [(6, 0), (6, 3), (5, 2), (1, 0)]:
        roots = np.roots(target_filter(degree, pairs, seed=4)[::-1])
        assert len(roots) == degree and int(np.sum(np.abs(roots.imag) > 1e-9)) == 2 * pairs
    with pytest.raises(ValueError, match="at most 2"):
        target_filter(5, 3)


@pytest.mark.parametrize("sizes, pairs, reachable", [
    ((3, 2, 4), 2, True), ((3, 2, 4), 3, False), ((3, 3, 3), 3, True), ((2, 2, 1), 1, False),
    ((5, 2, 1), 2, True)])
def test_real_factorization_reproduces_the_target_or_says_no(sizes, pairs, reachable):
    target = target_filter(sum(sizes) - 3, pairs, seed=1)
    factors = real_factorization(target, sizes)
    assert (factors is not None) == reachable
    if reachable:
        assert [len(w) for w in factors] == list(sizes)
        np.testing.assert_allclose(end_to_end_filter(factors), target, atol=1e-9)


def test_filter_slider_moves_roots_between_factors_and_out_of_reach():
    e = FilterFactorExplorer(k1=3, k2=2, k3=4, complex_pairs=2)
    e.widget()
    fig = e.figure_widget
    assert "reachable over R" in fig.layout.title.text and "NOT" not in fig.layout.title.text
    assert sum(len(trace(fig, f"factor {i}").x) for i in (1, 2, 3)) == 6
    assert len(trace(fig, "factor 2").x) == 1                      # degree k_2 - 1 = 1
    e.controls["complex_pairs"].value = 3
    assert "NOT reachable" in fig.layout.title.text and "room for 2" in fig.layout.title.text
    assert len(trace(fig, "no real factorization").x) == 6
    e.controls["k2"].value = 3                                    # sizes (3, 3, 4): room for 3
    assert "NOT" not in fig.layout.title.text
    assert "at most one filter size is even" in e._info.value


# -- attention -------------------------------------------------------------------------------

def test_attention_bars_are_exact_dimensions_and_the_formula_line():
    e = AttentionExplorer()
    e.widget()
    fig = e.figure_widget
    assert list(fig.data[0].y) == [14, 16, 16, 16]
    assert list(trace(fig, "formula").y) == [16, 16]
    e.controls["layers"].value = 2
    assert list(trace(fig, "formula").y) == [23, 23]
    assert list(fig.data[0].y)[1:] == [23, 23, 23]
    assert list(fig.data[0].y) == [nagviz.dimension(nagviz.attention.LightningAttention(2, 3, 2, tokens=t)).dimension
                                   for t in range(1, 5)]


# -- relu ------------------------------------------------------------------------------------

def test_relu_explorer_counts_and_draws_the_regions():
    e = ReLURegionsExplorer(width=5, depth=1, seed=2)
    e.widget()
    fig = e.figure_widget
    net = ReLUNetwork.random((2, 5, 1), seed=2)
    want = linear_regions(net, e.box).count
    assert f"{want} linear regions" in fig.layout.title.text
    assert list(trace(fig, "this network").y) == [want]
    e.controls["width"].value = 9
    want9 = linear_regions(ReLUNetwork.random((2, 9, 1), seed=2), e.box).count
    assert list(trace(fig, "this network").y) == [want9] and want9 > want
    z = np.array(fig.data[0].z)
    assert z.shape == (e.resolution, e.resolution) and len(np.unique(z)) > 5
    e.controls["depth"].value = 2
    assert "(2, 9, 9, 1)" in fig.layout.title.text
    want = linear_regions(ReLUNetwork.random((2, 9, 9, 1), seed=2), e.box).count
    assert list(trace(fig, "this network").y) == [want]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_relu_explorer_growth_curve_and_counts_with_and_without_shipped_data(depth, monkeypatch):
    from nagviz.relu import region_growth

    e = ReLURegionsExplorer()
    shipped_data = e.compute(width=10, depth=depth, seed=7)
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    computed = e.compute(width=10, depth=depth, seed=7)
    again = region_growth(range(1, e.max_width + 1), depth=depth, box=e.box, seeds=e.seeds)
    np.testing.assert_array_equal(shipped_data["growth"], again.mean)
    np.testing.assert_array_equal(computed["growth"], again.mean)
    net = ReLUNetwork.random((2,) + (10,) * depth + (1,), seed=7)
    assert shipped_data["exact"] == computed["exact"] == linear_regions(net, e.box).count
    assert shipped_data["grid"] == computed["grid"] <= computed["exact"]
    np.testing.assert_array_equal(shipped_data["labels"], computed["labels"])


# -- approximation ---------------------------------------------------------------------------

def test_approximation_slider_shrinks_the_error():
    e = ApproximationExplorer()
    e.widget()
    fig = e.figure_widget
    err8 = list(trace(fig, "this degree").y)
    e.controls["degree"].value = 32
    err32 = list(trace(fig, "this degree").y)
    assert all(b < a / 3 for a, b in zip(err8, err32))
    curve = trace(fig, "least squares, degree 32")
    x = np.array(curve.x)
    assert np.abs(np.array(curve.y) - np.maximum(x, 0)).max() == pytest.approx(err32[0], rel=1e-6)
    assert "(2, 8, 1) network" in e._info.value
    gap32 = e.data()["network_gap"]
    e.controls["degree"].value = 4
    assert e.data()["network_gap"] > 3 * gap32          # the network gap closes with the degree
    e.controls["degree"].value = 32
    e.controls["target"].value = "tanh"
    assert "tanh" in fig.layout.title.text and max(trace(fig, "this degree").y) < 1e-10
