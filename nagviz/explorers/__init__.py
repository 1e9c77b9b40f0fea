"""Interactive explorers: sliders -> a pure function -> a figure updated in place.

Every explorer works in a live kernel (ipywidgets + plotly ``FigureWidget``) and falls
back to a static plotly figure elsewhere; see :mod:`nagviz.explorers._base`.

The explorer classes are imported when first named (``from nagviz.explorers import
AtlasExplorer`` imports :mod:`nagviz.explorers.dimension` and nothing else), so a
notebook pays only for the explorers it shows: the critical-point explorers of notebook
04 bring sympy's Gröbner bases, which notebook 00 does not need.

>>> from nagviz.explorers import ArchitectureExplorer
>>> ArchitectureExplorer().compute(d0=3, width=5, hidden_layers=1, outputs=1, r=4)["dimension"]
14
>>> import nagviz.explorers as ex
>>> ex.RankPathExplorer.__module__
'nagviz.explorers.singularities'
"""

from __future__ import annotations

import importlib

from ._base import Explorer, display_mode, set_display_mode

# explorer class -> the submodule that defines it (and the notebook that shows it)
_WHERE = {
    "ArchitectureExplorer": "architecture",                  # notebook 00
    "ConeExplorer": "neuromanifolds",                        # notebook 01
    "RealBoundaryExplorer": "neuromanifolds",
    "RankOneExplorer": "neuromanifolds",
    "FiberExplorer": "neuromanifolds",
    "LossLandscapeExplorer": "neuromanifolds",
    "AtlasExplorer": "dimension",                            # notebook 02
    "DegreeThresholdExplorer": "dimension",
    "RecoveryExplorer": "dimension",
    "HyperbolaFiberExplorer": "fibers",                      # notebook 03
    "TwoNeuronFiberExplorer": "fibers",
    "SymmetryOrbitExplorer": "fibers",
    "CriticalLandscapeExplorer": "critical_points",          # notebook 04
    "DiscriminantExplorer": "critical_points",
    "RankPathExplorer": "singularities",                     # notebook 05
    "SingularSliceExplorer": "singularities",
    "VoronoiExplorer": "singularities",
    "CriticalVersusBestExplorer": "training",
    "TrainingExplorer": "training",
    "LinearIncrementalExplorer": "linear",
    "FilterFactorExplorer": "beyond",                        # notebook 06
    "AttentionExplorer": "beyond",
    "ReLURegionsExplorer": "beyond",
    "ApproximationExplorer": "beyond",
}

__all__ = ["Explorer", "display_mode", "set_display_mode", *_WHERE]


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value  # next time, a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
