"""The dimension atlas: theorems it must reproduce, caching, progress, limits."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import nagviz.sweeps as sweeps_mod
from nagviz import Architecture, ArchitectureTooLargeError
from nagviz.__main__ import JSON_KEYS
from nagviz.cache import CacheWarning
from nagviz.atlas import (
    alexander_hirschowitz_dimension,
    cached_dimension,
    clear_cache,
    deep_atlas,
    degree_threshold,
    minimal_filling_width,
    shallow_atlas,
    sweep,
)


@pytest.fixture(autouse=True)
def _disk_cache_not_the_shipped_table(monkeypatch):
    """Several tests here read and write the disk cache of dimensions; the shipped table
    (nagviz.sweeps.shipped_dimension, tested in test_shipped_dimensions.py) would answer
    first and leave the cache empty."""
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")


NO_DISK = {"cache_dir": False}


# ----------------------------------------------------------------------------------
# the Alexander–Hirschowitz theorem, cell by cell
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("r", [2, 3, 4, 5])
def test_shallow_atlas_is_the_alexander_hirschowitz_table(r):
    a = shallow_atlas(range(1, 7), range(1, 16), r, **NO_DISK)
    theorem = np.array([[alexander_hirschowitz_dimension(n, k, r) for k in a.column_values]
                        for n in a.row_values])
    np.testing.assert_array_equal(a.dimension, theorem)
    # ambient and expected dimension are pure counting
    for i, n in enumerate(a.row_values):
        for j, k in enumerate(a.column_values):
            assert a.ambient[i, j] == math.comb(n + r - 1, r)
            assert a.expected[i, j] == min(n * k, math.comb(n + r - 1, r))
            assert a.parameters[i, j] == n * k + k


def test_sporadic_exceptions_are_exactly_the_defective_cells_for_r_3_and_4():
    cells = set()
    for r in (3, 4):
        a = shallow_atlas(range(2, 7), range(1, 16), r, **NO_DISK)
        for i, j in np.argwhere(a.defect > 0):
            assert a.defect[i, j] == 1
            cells.add((a.row_values[i], a.column_values[j], r))
    assert cells == {(3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)}


def test_quadrics_are_defective_exactly_for_intermediate_widths():
    a = shallow_atlas(range(2, 7), range(1, 8), 2, **NO_DISK)
    for i, n in enumerate(a.row_values):
        for j, k in enumerate(a.column_values):
            # rank-<=k quadratic forms: k n - binom(k, 2) when k < n
            assert (a.defect[i, j] > 0) == (2 <= k <= n - 1), (n, k)
            if k < n:
                assert a.dimension[i, j] == k * n - math.comb(k, 2)


# ----------------------------------------------------------------------------------
# why some architectures are defective
# ----------------------------------------------------------------------------------
def test_first_layer_as_wide_as_the_input():
    r = cached_dimension((3, 3, 3, 1), 2, **NO_DISK)
    counts = (r.parameters, r.ambient_dimension, r.expected_dimension, r.dimension)
    assert counts == (21, 15, 15, 12)
    # With W_1 square and invertible, y = W_1 x and f is a quadratic form in y_1^2, ..., y_n^2
    # (a (n, n, 1) network with z^2 applied to u = y^2): dim <= binom(n + 1, 2) + n^2 - n.
    for n, widths, value in [(3, (3, 3, 3, 1), 12), (4, (4, 4, 4, 1), 22)]:
        bound = math.comb(n + 1, 2) + n * n - n
        d = cached_dimension(widths, 2, **NO_DISK).dimension
        assert d == value <= bound
    # the same with two layers after the square one: (2, 2, 2, 1) on u fills binary quartics (5)
    assert cached_dimension((2, 2, 2, 2, 1), 2, **NO_DISK).dimension == 7 == 5 + 4 - 2


def test_width_one_bottleneck_never_reaches_the_expected_dimension():
    # f = c (w . x)^D: only the d_0 coordinates of w and the scalar c, up to rescaling
    for widths in [(2, 1, 2, 1), (3, 1, 3, 1), (3, 2, 1, 2, 1)]:
        t = degree_threshold(widths, r_max=6, r_min=2, **NO_DISK)
        assert t.threshold is None
        assert np.all(t.dimension < t.expected)
        if widths[1] == 1:
            assert np.all(t.dimension == widths[0])


def test_degree_thresholds():
    t = degree_threshold((3, 3, 3, 1), r_max=6, **NO_DISK)
    assert t.dimension.tolist() == [12, 15, 15, 15, 15]
    assert t.threshold == 3
    assert degree_threshold((4, 4, 4, 1), r_max=4, **NO_DISK).dimension.tolist() == [22, 28, 28]
    # strictly equi-width networks reach the expected dimension from r = 2 on
    for widths in [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2), (3, 3, 3, 3), (4, 4, 4)]:
        t = degree_threshold(widths, r_max=5, **NO_DISK)
        assert t.threshold == 2 and t.reached.all(), widths
    # r = 1 (linear networks) is allowed and counted as determinantal varieties
    t = degree_threshold((3, 1, 2), r_max=2, r_min=1, **NO_DISK)
    assert t.degrees == (1, 2) and t.dimension[0] == 4


def test_minimal_filling_width_follows_alexander_hirschowitz():
    for n in range(2, 6):
        for r in range(2, 5):
            f = minimal_filling_width(n, r, **NO_DISK)
            if r == 2:
                expected = n
            else:
                expected = math.ceil(math.comb(n + r - 1, r) / n)
                if (n, expected, r) in {(3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)}:
                    expected += 1
            assert f.width == expected, (n, r)
            assert f.counting_bound <= f.width
            assert f.exceeds_counting == (f.width > f.counting_bound)
    assert minimal_filling_width(3, 4, **NO_DISK).dimensions == ((5, 14), (6, 15))


def test_deep_atlas_and_properties():
    a = deep_atlas([2, 3, 4], [1, 2, 3, 4], 2, hidden_layers=2, **NO_DISK)
    assert a.widths[1][2] == (3, 3, 3, 1) and a.dimension[1, 2] == 12
    assert a.widths[1][1] == (3, 2, 2, 1) and (a.dimension[1, 1], a.expected[1, 1]) == (7, 8)
    for res in (a, shallow_atlas(range(1, 6), range(1, 9), 3, **NO_DISK)):
        assert np.all(res.dimension <= np.minimum(res.expected, res.ambient))
        assert np.all(res.fiber == res.parameters - res.dimension)
        # adding a neuron never lowers the dimension
        assert np.all(np.diff(res.dimension, axis=1) >= 0)
        assert np.all(res.certified | (res.defect > 0))


def test_records_repr_and_html():
    a = shallow_atlas([2, 3], [1, 2], 2, **NO_DISK)
    recs = a.to_records()
    assert [tuple(r) for r in recs] == [JSON_KEYS] * 4
    assert recs[3] == cached_dimension((3, 2, 1), 2, **NO_DISK).to_dict()
    text = repr(a)
    assert "seed = 0" in text and "p = 2147483647" in text and "5*" in text
    assert "seed = 0" in a._repr_html_() and "<table>" in a._repr_html_()
    assert "threshold" not in repr(degree_threshold((2, 2, 1), r_max=3, **NO_DISK))
    assert "reaches the expected dimension from r = 2" in repr(
        degree_threshold((2, 2, 1), r_max=3, **NO_DISK))
    assert "w = 6" in repr(minimal_filling_width(3, 4, **NO_DISK))
    s = sweep([(2, 1, 1), (3, 5, 1)], activation=4, **NO_DISK)
    assert s.dimensions.tolist() == [2, 14] and "defect 1" in repr(s)
    with pytest.raises(ValueError, match="unknown quantity"):
        a.quantity("volume")
    with pytest.raises(ValueError):
        a.dimension[0, 0] = 3  # results are read-only


# ----------------------------------------------------------------------------------
# caching, progress, limits
# ----------------------------------------------------------------------------------
def test_cached_slider_move_gives_the_same_atlas():
    # benchmarks/timings.py measures how fast the cached call is; unit tests assert no wall time.
    first = shallow_atlas(range(2, 7), range(1, 9), 3, **NO_DISK)
    for r in (3, 3, 3):
        np.testing.assert_array_equal(shallow_atlas(range(2, 7), range(1, 9), r, **NO_DISK).dimension, first.dimension)


def test_disk_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE", raising=False)
    clear_cache()
    first = shallow_atlas([3, 4], [2, 5], 4, cache_dir=tmp_path)
    files = list(tmp_path.glob("dimension/*/*.json"))   # one file per architecture
    assert len(files) == 4
    assert sorted(tuple(json.loads(f.read_text())["value"]["widths"]) for f in files) == [
        (3, 2, 1), (3, 5, 1), (4, 2, 1), (4, 5, 1)]
    clear_cache()  # forget the memory: the disk must answer now

    def forbidden(*args, **kwargs):
        raise AssertionError("recomputed despite the disk cache")

    monkeypatch.setattr(sweeps_mod, "dimension", forbidden)
    again = shallow_atlas([3, 4], [2, 5], 4, cache_dir=tmp_path)
    np.testing.assert_array_equal(first.dimension, again.dimension)
    np.testing.assert_array_equal(first.certified, again.certified)
    clear_cache(disk=True, cache_dir=tmp_path)
    assert not list(tmp_path.glob("dimension/*/*.json"))


def test_disk_cache_can_be_disabled_and_never_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("NAGVIZ_NO_DISK_CACHE", "1")
    clear_cache()
    cached_dimension((2, 2, 1), 3, cache_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    clear_cache()
    assert cached_dimension((3, 2, 1), 2, cache_dir=blocker / "cache").dimension == 5
    corrupt = tmp_path / "corrupt"
    entry = sweeps_mod._dimension.cache_file(Architecture((3, 2, 1), 2), 0, 2,
                                             cache_dir=corrupt)
    entry.parent.mkdir(parents=True)
    entry.write_text("{not json")
    clear_cache()
    with pytest.warns(CacheWarning, match="not valid JSON"):
        assert cached_dimension((3, 2, 1), 2, cache_dir=corrupt).dimension == 5
    assert json.loads(entry.read_text())["value"]["dimension"] == 5   # healed


def test_env_var_moves_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE", raising=False)
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path / "here"))
    clear_cache()
    cached_dimension((2, 3, 1), 2)
    assert list((tmp_path / "here").glob("dimension/*/*.json"))


def test_progress_callback():
    calls = []
    clear_cache()
    shallow_atlas([2, 3], [1, 2, 3], 3, progress=lambda done, total: calls.append((done, total)),
                  **NO_DISK)
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_too_large_sweeps_are_refused_before_any_work(monkeypatch):
    calls = []

    def forbidden(*args, **kwargs):
        raise AssertionError("computed something")

    monkeypatch.setattr(sweeps_mod, "dimension", forbidden)
    with pytest.raises(ArchitectureTooLargeError, match="too large"):
        shallow_atlas([2, 60], [60], 3, progress=lambda *a: calls.append(a), **NO_DISK)
    with pytest.raises(ArchitectureTooLargeError, match="whole sweep"):
        shallow_atlas([20, 21], [30, 31], 3, max_total_work=10, **NO_DISK)
    assert calls == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="positive"):
        shallow_atlas([0, 2], [1], 2, **NO_DISK)
    with pytest.raises(ValueError, match="seed"):
        shallow_atlas([2], [1], 2, seed=1.5, **NO_DISK)
    with pytest.raises(ValueError, match="r_min"):
        degree_threshold((2, 2, 1), r_max=1, r_min=2)
    with pytest.raises(TypeError):
        cached_dimension(Architecture((2, 1, 1)), 2)


def test_cache_directory_follows_arguments_and_environment(monkeypatch, tmp_path):
    from pathlib import Path

    from nagviz.atlas import cache_directory
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE", raising=False)
    monkeypatch.delenv("NAGVIZ_CACHE_DIR", raising=False)
    assert cache_directory() == Path(".nagviz-cache") and cache_directory(True) == Path(".nagviz-cache")
    assert cache_directory(tmp_path / "mine") == tmp_path / "mine"
    assert cache_directory(str(tmp_path)) == tmp_path
    assert cache_directory(False) is None
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path / "env"))
    assert cache_directory() == tmp_path / "env"
    assert cache_directory(tmp_path / "mine") == tmp_path / "mine"     # an argument wins
    for off in ("1", "yes"):
        monkeypatch.setenv("NAGVIZ_NO_DISK_CACHE", off)
        assert cache_directory(tmp_path) is None and cache_directory() is None
    monkeypatch.setenv("NAGVIZ_NO_DISK_CACHE", "0")
    assert cache_directory(tmp_path) == tmp_path
