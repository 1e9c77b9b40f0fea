"""Singular points of neuromanifolds: subnetworks, Voronoi cells, and critical exposure.

This module gathers the public names of the modules that hold the mathematics of
notebook 05:

* :mod:`nagviz.tangent_space` -- **tangent rank.** The rank of the Jacobian of the
  parameterization at a parameter point (:func:`tangent_rank`), exactly or in floating
  point; along a path that switches a neuron off or merges two neurons
  (:func:`switch_off_path`, :func:`merge_path`) it drops exactly at the subnetwork
  (:func:`rank_along_path`).
* :mod:`nagviz.singular_versus_critical` -- **rank drop is not singularity.** A rank drop
  over a smooth point (:func:`rank_drop_at_smooth_point`), a node without a rank drop
  (:func:`cnn_node`), the exact dimension count of critical exposure
  (:func:`critical_exposure_221`), the spanning fact behind "a subnetwork is never the best
  fit" (:func:`neuron_directions_span`), and the strict saddle of a dead neuron when
  ``sigma'(0) != 0`` (:func:`dead_neuron_saddle`).
* :mod:`nagviz.voronoi` -- **Voronoi cells in the plane and of a cone.** The targets
  whose nearest point is the singular point: a region of positive area behind a cusp,
  only the point itself for a node (:func:`singular_voronoi_grid`); the polar cone for
  one nappe of ``b^2 = 4ac``, only the vertex for the double cone
  (:func:`cone_vertex_voronoi`).
* :mod:`nagviz.loss_landscape` -- **dead neurons are critical.** At a dead neuron
  (:func:`dead_neuron_point`) the loss gradient in its coordinates vanishes
  (:func:`loss_gradient`), so does the Hessian (:func:`loss_hessian`), and the loss
  decreases only at third order (:func:`escape_direction`).
* :mod:`nagviz.critical_versus_best` -- **critical is not best.** How often a subnetwork
  is critical, a second-order local minimum, or the best fit
  (:func:`best_fit_is_subnetwork_fraction`).
* :mod:`nagviz.neurovariety_221` -- **a singular neuromanifold to draw.** (2,2,1) with
  ``z^3 + z^2`` is the cubic hypersurface ``det = 0`` of a 3 x 3 apolarity matrix
  (:func:`apolarity_matrix_221`); :func:`singular_slice_221` meshes a 3-D slice through a
  line of one-neuron networks, :func:`network_221_parameters` recovers weights.
* :mod:`nagviz.rank_one_trap` -- **where training stops.** Gradient descent on the
  quadratic network (2,2,1), which fits every target exactly, and the runs that stop on
  the cone of one-neuron networks (:func:`rank_one_trap_experiment`).

Examples
--------
>>> from nagviz.singularities import CUBIC_221, tangent_rank
>>> tangent_rank(CUBIC_221, [1, 2, 3, 4, 5, 0]).drop   # neuron 2's out-weight is 0
2
"""

from __future__ import annotations

from .critical_versus_best import SubnetworkFitResult, best_fit_is_subnetwork_fraction
from .loss_landscape import (ClippedPath, EscapeResult, clip_path_to_box, dead_neuron_point, escape_direction, loss_gradient,
                             loss_hessian)
from .neurovariety_221 import (CUBIC_221, SingularSlice, apolarity_matrix_221,
                               is_real_network_221, network_221_parameters, neurovariety_221_equation,
                               singular_slice_221, slice_cross_section_221)
from .rank_one_trap import (QUADRATIC_221, TRAP_OUTCOMES, RankOneTrapResult, TrapStatistics,
                            binary_quadratic_eigenvalues, cone_coordinates, form_matrix,
                            rank_one_trap_batch, rank_one_trap_experiment, trap_runs_again,
                            trap_statistics, trap_statistics_settings)
from .singular_versus_critical import (CriticalExposureResult, DeadNeuronSaddle,
                                       NodeWithoutRankDrop, RankDropAtSmoothPoint, SpanningResult,
                                       bombieri_weights, cnn_node, critical_exposure_221,
                                       dead_neuron_saddle, neuron_directions_span,
                                       rank_drop_at_smooth_point)
from .tangent_space import (ParameterPath, PathRankResult, TangentRankResult, merge_path,
                            rank_along_path, singular_values_along_path, switch_off_path,
                            tangent_rank)
from .voronoi import (CORNER, CROSSING_LINES, CUSP, NODE, ConeVoronoiResult, NearestPoint,
                      PlaneCurve, VoronoiGrid, cone_vertex_voronoi, nearest_point_on_curve,
                      singular_voronoi_grid)

__all__ = [
    "TangentRankResult",
    "PathRankResult",
    "ParameterPath",
    "tangent_rank",
    "rank_along_path",
    "singular_values_along_path",
    "switch_off_path",
    "merge_path",
    "PlaneCurve",
    "CUSP",
    "NODE",
    "CROSSING_LINES",
    "NearestPoint",
    "nearest_point_on_curve",
    "VoronoiGrid",
    "singular_voronoi_grid",
    "ConeVoronoiResult",
    "cone_vertex_voronoi",
    "loss_gradient",
    "ClippedPath",
    "clip_path_to_box",
    "loss_hessian",
    "dead_neuron_point",
    "EscapeResult",
    "escape_direction",
    "SubnetworkFitResult",
    "best_fit_is_subnetwork_fraction",
    "CORNER",
    "CUBIC_221",
    "apolarity_matrix_221",
    "neurovariety_221_equation",
    "network_221_parameters",
    "is_real_network_221",
    "SingularSlice",
    "singular_slice_221",
    "slice_cross_section_221",
    "QUADRATIC_221",
    "TRAP_OUTCOMES",
    "binary_quadratic_eigenvalues",
    "cone_coordinates",
    "RankOneTrapResult",
    "rank_one_trap_experiment",
    "RankDropAtSmoothPoint",
    "NodeWithoutRankDrop",
    "bombieri_weights",
    "CriticalExposureResult",
    "SpanningResult",
    "DeadNeuronSaddle",
    "rank_drop_at_smooth_point",
    "cnn_node",
    "critical_exposure_221",
    "neuron_directions_span",
    "dead_neuron_saddle",
    "rank_one_trap_batch",
    "trap_runs_again",
    "TrapStatistics",
    "trap_statistics",
    "trap_statistics_settings",
    "form_matrix",
]
