"""Live figures: send a slider move's changes to a plotly ``FigureWidget``, and store
plain explorer data in the disk cache.

:func:`send_changes` compares a fresh figure's plain dicts with what the live figure
was last sent and sends only the difference (one restyle and one relayout message); only
the changed properties go through plotly's validation (validating whole figures costs
tens of milliseconds per move with large arrays).
:func:`to_record` and :func:`from_record` turn explorer data (dicts, lists, tuples,
numpy arrays) into JSON for :func:`nagviz.cache.memoize` and back.
"""

from __future__ import annotations

__all__ = ["send_changes", "remember_sent", "to_record", "from_record"]

_MISSING = object()


# --------------------------------------------------------------------------- in-place updates

_KEEP_LAYOUT = ("template", "scene", "scene2", "scene3")  # the reader's camera; the template


def _spec(fig):
    """``(traces, layout)`` of a plotly figure as plain dicts. A figure's own dicts are
    read without the deep copy of ``to_plotly_json`` (plotly keeps them in ``_data`` and
    ``_layout``; the figure is a fresh one, dropped after the update)."""
    data, layout = getattr(fig, "_data", None), getattr(fig, "_layout", None)
    if not (isinstance(data, list) and isinstance(layout, dict)):  # pragma: no cover
        spec = fig.to_plotly_json()
        data, layout = spec["data"], spec["layout"]
    return ([dict(t) for t in data],
            {k: v for k, v in layout.items() if k not in _KEEP_LAYOUT})


def _same(a, b) -> bool:
    """Whether two plain figure values (dicts, lists, numpy arrays, scalars) are equal."""
    if a is b:
        return True
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if hasattr(a, "shape") and hasattr(a, "dtype"):  # numpy arrays
        import numpy as np

        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))  # NaN: a gap, the same
    try:
        return bool(a == b)
    except (ValueError, TypeError):  # lists holding arrays
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))


def _layout_changes(old, new, prefix=""):
    """Dotted paths (``xaxis.range``) of ``new``'s values that differ from ``old``."""
    out = {}
    for key, value in new.items():
        before = old.get(key, _MISSING) if isinstance(old, dict) else _MISSING
        if isinstance(value, dict) and isinstance(before, dict) and value:
            out.update(_layout_changes(before, value, f"{prefix}{key}."))
        elif before is _MISSING or not _same(before, value):
            out[f"{prefix}{key}"] = value
    return out


def remember_sent(target, fig) -> None:
    """Record that the live figure ``target`` shows ``fig`` (for :func:`send_changes`).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> live = go.FigureWidget(go.Scatter(y=[1, 2]))
    >>> remember_sent(live, go.Figure(go.Scatter(y=[1, 2])))
    >>> live._nagviz_sent[0][0]["y"]
    [1, 2]
    """
    target._nagviz_sent = _spec(fig)


def send_changes(target, new, keep_static=False):
    """Update the live figure ``target`` to ``new``, sending only what changed.

    ``new``'s traces and layout are compared with what was last sent to ``target``
    (plain data, compared without plotly's validation, which costs tens of ms per
    move); changed trace properties and layout paths are set on ``target`` inside one
    ``batch_update`` (one restyle and one relayout message; plotly's combined
    ``plotly_update`` message left figures unchanged in JupyterLab, which the Lab
    browser test of notebook 01 caught). With ``keep_static``, a trace whose ``meta`` is
    ``"static:<key>"`` and unchanged is skipped without comparing its data (see
    :class:`KeepStaticTraces`). When the number or the types of traces change, the
    traces are replaced.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> live = go.FigureWidget(go.Scatter(x=[0, 1], y=[1, 2], name="a"))
    >>> remember_sent(live, live)
    >>> send_changes(live, go.Figure(go.Scatter(x=[0, 1], y=[3, 4], name="a"),
    ...                              layout=dict(title=dict(text="new"))))
    >>> live.data[0].y, live.layout.title.text
    ((3, 4), 'new')
    """
    traces, layout = _spec(new)
    sent = getattr(target, "_nagviz_sent", None)
    types_ = [t.get("type", "scatter") for t in traces]
    if sent is None or len(sent[0]) != len(traces) or [t.get("type", "scatter")
                                                       for t in sent[0]] != types_:
        if len(target.data) != len(traces) or [t.type for t in target.data] != types_:
            with target.batch_update():
                target.data = []
                target.add_traces(list(new.data))
                target.layout.update(layout)
            remember_sent(target, new)
            return
        sent = ([{} for _ in traces], {})  # first update of this figure: send everything
    restyle, indexes = {}, []
    for i, (old, fresh) in enumerate(zip(sent[0], traces)):
        meta = fresh.get("meta")
        if keep_static and isinstance(meta, str) and meta.startswith("static:") \
                and old.get("meta") == meta:
            fresh.clear()
            fresh.update(old)  # keep what the figure holds
            continue
        changed = {k: v for k, v in fresh.items() if k not in old or not _same(old[k], v)}
        if changed:
            indexes.append(i)
            for key, value in changed.items():
                restyle.setdefault(key, {})[i] = value
    from plotly.basedatatypes import Undefined

    restyle = {key: [values.get(i, Undefined) for i in indexes] for key, values in restyle.items()}
    relayout = _layout_changes(sent[1], layout)
    if restyle or relayout:
        with target.batch_update():
            for key, values in restyle.items():
                for i, value in zip(indexes, values):
                    if value is not Undefined:
                        target.data[i][key] = value
            if relayout:
                target.layout.update({k: v for k, v in relayout.items()})
    merged = dict(sent[1])
    merged.update(layout)
    target._nagviz_sent = (traces, merged)


def to_record(value):
    """A JSON-able record of plain explorer data (dicts with string keys, lists, tuples,
    numpy arrays and scalars), for :func:`nagviz.cache.memoize` on disk; see
    :func:`from_record`.

    Examples
    --------
    >>> import numpy as np
    >>> data = {"ranks": [5, 3], "gaps": np.array([1.0, np.nan]), "label": ("a", 2)}
    >>> back = from_record(to_record(data))
    >>> back["ranks"], back["gaps"].dtype, bool(np.isnan(back["gaps"][1])), back["label"]
    ([5, 3], dtype('float64'), True, ('a', 2))
    """
    import numpy as np

    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("to_record: dictionary keys must be strings")
        return {"map": {k: to_record(v) for k, v in value.items()}}
    if isinstance(value, tuple):
        return {"tuple": [to_record(v) for v in value]}
    if isinstance(value, list):
        return [to_record(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise TypeError(f"to_record: cannot store an array of dtype {value.dtype}")
        return {"ndarray": value.tolist(), "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"to_record: cannot store {type(value).__name__}")


def from_record(record):
    """The data :func:`to_record` stored.

    Examples
    --------
    >>> from_record({"map": {"t": {"tuple": [1, 2]}}})
    {'t': (1, 2)}
    """
    import numpy as np

    if isinstance(record, list):
        return [from_record(v) for v in record]
    if isinstance(record, dict):
        if "map" in record:
            return {k: from_record(v) for k, v in record["map"].items()}
        if "tuple" in record:
            return tuple(from_record(v) for v in record["tuple"])
        return np.array(record["ndarray"], dtype=np.dtype(record["dtype"])).reshape(
            record["shape"])
    return record
