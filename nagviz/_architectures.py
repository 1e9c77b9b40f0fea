"""Architecture specifications as the training and singularity modules accept them.

Shared internals (no public API): a tuple of widths or an :class:`~nagviz.Architecture`
or :class:`~nagviz.cnn.CNNArchitecture` becomes an architecture object. The model
interface of issue 9 replaces this module.
"""

from __future__ import annotations

from .architecture import Architecture
from .cnn import CNNArchitecture


def _coerce(arch):
    if isinstance(arch, (Architecture, CNNArchitecture)):
        return arch
    return Architecture(arch)
