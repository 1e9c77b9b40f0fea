"""Exercise checks with targeted hints, for the nagviz exercise notebooks.

In a notebook::

    from nagviz.exercises import check, hint
    check("01.2", answer)   # green box if right, orange box with a hint if not
    hint("01.2")            # the next hint; call again for more

Each topic registers its exercises in a module ``nagviz/exercises/exNN_<topic>.py``
(imported on first use), with the :func:`exercise` decorator, an answer kind from
:mod:`nagviz.exercises.answers` and :class:`Mistake` rules. The notebooks are
generated from ``exercises/source/`` by ``exercises/build.py``
(maintainers' tools in :mod:`nagviz.exercises._authoring`, which this package never
imports); ``exercises/README.md`` describes the format.

Importing this package loads neither sympy nor any plotting or widget library.
"""

from .answers import (
    AnswerFormatError,
    AnswerKind,
    Array,
    Boolean,
    Choice,
    Collection,
    Expression,
    Function,
    Integer,
    Real,
    Tuple,
)
from .checking import (
    REGISTRY,
    CheckResult,
    Exercise,
    Hint,
    Mistake,
    Registry,
    check,
    exercise,
    get_exercise,
    hint,
    hint_details,
    normalize_id,
    reset_hints,
    topic_exercises,
)

__all__ = [
    "REGISTRY",
    "AnswerFormatError",
    "AnswerKind",
    "Array",
    "Boolean",
    "CheckResult",
    "Choice",
    "Collection",
    "Exercise",
    "Expression",
    "Function",
    "Hint",
    "Integer",
    "Mistake",
    "Real",
    "Registry",
    "Tuple",
    "check",
    "exercise",
    "get_exercise",
    "hint",
    "hint_details",
    "normalize_id",
    "reset_hints",
    "topic_exercises",
]
