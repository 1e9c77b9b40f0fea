"""Tangent ranks: the rank drops exactly at the subnetworks (nagviz.tangent_space)."""

import pytest

from nagviz import Architecture
from nagviz.cnn import CNNArchitecture
from nagviz.tangent_space import merge_path, rank_along_path, switch_off_path, tangent_rank


TS = [0, 0.25, 0.5, 0.75, 1]


def test_321_rank_drops_exactly_at_one_neuron_networks():
    arch = Architecture((3, 2, 1), 2)
    theta = [1, 2, 3, 1, -1, 2, 1, 1]
    assert tangent_rank(arch, theta).rank == 5 == tangent_rank(arch, theta).generic_rank
    off = rank_along_path(arch, switch_off_path(arch, theta, 1, 1), ts=TS)
    assert off.ranks == (5, 5, 5, 5, 3) and off.drops == [1.0]
    merged = rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=TS)
    assert merged.ranks == (5, 5, 5, 5, 3)
    # only the outgoing weight zero: the neuron is off, but its direction still moves
    assert tangent_rank(arch, [1, 2, 3, 1, -1, 2, 1, 0]).rank == 4


def test_cone_211_ranks_at_the_vertex():
    """v (a x + b y)^2: generic rank 2; the vertex (zero function) is reached with rank 1
    (v = 0, (a, b) != 0) or rank 0 (a = b = 0)."""
    cone = Architecture((2, 1, 1), 2)
    ranks = [tangent_rank(cone, t).rank for t in ([1, 2, 3], [1, 2, 0], [0, 0, 3], [0, 0, 0])]
    assert ranks == [2, 1, 0, 0]


def test_linear_network_rank_drops_at_lower_rank_matrices():
    """(3, 2, 3) linear: 3x3 matrices of rank <= 2, a hypersurface of dimension 8, singular
    at rank <= 1. Merging the two hidden neurons makes W1 rank 1; switching one off makes
    both factors rank 1."""
    arch = Architecture((3, 2, 3), 1)
    theta = [2, -1, 3, 1, 4, -2, 1, 0, 2, -3, 1, 1]
    assert tangent_rank(arch, theta).rank == 8
    assert rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=TS).ranks == (8,) * 4 + (7,)
    assert rank_along_path(arch, switch_off_path(arch, theta, 1, 0), ts=TS).ranks[-1] == 5


def test_filling_linear_network_has_no_rank_drop_when_merging():
    # (3, 2, 2): all 2x3 matrices (smooth); W2 invertible keeps the differential onto
    arch = Architecture((3, 2, 2), 1)
    theta = [2, -1, 3, 1, 4, -2, 1, 2, -1, 3]
    assert rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=[0, 1]).ranks == (6, 6)


def test_float_rank_agrees_with_exact_at_generic_and_special_points():
    arch = Architecture((3, 2, 1), 2)
    for theta in ([1, 2, 3, 1, -1, 2, 1, 1], [1, 2, 3, 0, 0, 0, 1, 0]):
        assert tangent_rank(arch, theta, exact=False).rank == tangent_rank(arch, theta).rank


def test_deep_network_rank_drops_when_a_neuron_is_switched_off():
    arch = Architecture((2, 2, 2, 1), 2)
    theta = [1, 2, -1, 1, 3, -2, 1, 1, 2, -1]
    for layer, neuron in ((1, 1), (2, 0)):
        ranks = rank_along_path(arch, switch_off_path(arch, theta, layer, neuron), ts=[0, 0.5, 1])
        assert ranks.ranks[0] == ranks.ranks[1] == ranks.generic_rank > ranks.ranks[2]


def test_cnn_rank_does_not_drop_at_sparse_filters_only_at_the_zero_filter():
    cnn = CNNArchitecture((2, 2), "z^3 + z^2")
    theta = [1, 2, 3, -1]
    assert tangent_rank(cnn, theta).rank == 4
    for i in range(4):
        sparse = list(theta)
        sparse[i] = 0
        assert tangent_rank(cnn, sparse).rank == 4
    assert tangent_rank(cnn, [0, 0, 3, -1]).rank == 0


def test_exact_points_accept_fractions_and_reject_garbage():
    from fractions import Fraction

    arch = Architecture((2, 1, 1), 2)
    assert tangent_rank(arch, [Fraction(1, 3), Fraction(2, 7), 5]).rank == 2
    with pytest.raises(TypeError):
        tangent_rank(arch, ["a", 1, 2])
    with pytest.raises(ValueError, match="hidden layer"):
        switch_off_path(arch, [1, 2, 3], 2, 0)
