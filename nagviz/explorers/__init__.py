"""Interactive explorers: sliders -> a pure function -> a figure updated in place.

Every explorer works in a live kernel (ipywidgets + plotly ``FigureWidget``) and falls
back to a static plotly figure elsewhere; see :mod:`nagviz.explorers._base`.

>>> from nagviz.explorers import ArchitectureExplorer
>>> ArchitectureExplorer().compute(d0=3, width=5, hidden_layers=1, outputs=1, r=4)["dimension"]
14
"""

from ._base import Explorer, display_mode, set_display_mode
from .architecture import ArchitectureExplorer

__all__ = ["Explorer", "ArchitectureExplorer", "display_mode", "set_display_mode"]

from .neuromanifolds import (  # noqa: E402  (notebook 01)
    ConeExplorer,
    FiberExplorer,
    LossLandscapeExplorer,
    RankOneExplorer,
    RealBoundaryExplorer,
)

__all__ += ["ConeExplorer", "RealBoundaryExplorer", "RankOneExplorer", "FiberExplorer",
            "LossLandscapeExplorer"]

from .dimension import (  # noqa: E402  (notebook 02)
    AtlasExplorer,
    DegreeThresholdExplorer,
    RecoveryExplorer,
)

__all__ += ["AtlasExplorer", "DegreeThresholdExplorer", "RecoveryExplorer"]

from .fibers import (  # noqa: E402  (notebook 03)
    HyperbolaFiberExplorer,
    SymmetryOrbitExplorer,
    TwoNeuronFiberExplorer,
)

__all__ += ["HyperbolaFiberExplorer", "TwoNeuronFiberExplorer", "SymmetryOrbitExplorer"]

from .singularities import (  # noqa: E402  (notebook 05)
    RankPathExplorer,
    SingularSliceExplorer,
    VoronoiExplorer,
)
from .training import CriticalVersusBestExplorer, TrainingExplorer  # noqa: E402  (notebook 05)

__all__ += ["RankPathExplorer", "SingularSliceExplorer", "VoronoiExplorer",
            "CriticalVersusBestExplorer", "TrainingExplorer"]

from .critical_points import (  # noqa: E402  (notebook 04)
    CriticalLandscapeExplorer,
    DiscriminantExplorer,
)

__all__ += ["CriticalLandscapeExplorer", "DiscriminantExplorer"]

from .beyond import (  # noqa: E402  (notebook 06)
    ApproximationExplorer,
    AttentionExplorer,
    FilterFactorExplorer,
    ReLURegionsExplorer,
)

__all__ += ["FilterFactorExplorer", "AttentionExplorer", "ReLURegionsExplorer",
            "ApproximationExplorer"]

from .linear import LinearIncrementalExplorer  # noqa: E402  (notebook 05, linear networks)

__all__ += ["LinearIncrementalExplorer"]
