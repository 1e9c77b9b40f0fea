"""The machinery every explorer shares.

An explorer is three small pieces, kept apart so that each can be tested alone:

1. **controls** -- ipywidgets sliders and dropdowns whose names are the keyword
   arguments of ``compute``;
2. **compute(**values)** -- a *pure* function from control values to plain data
   (numbers, numpy arrays, strings), unit-tested without a kernel;
3. **figure(data)** -- a plotly figure built from that data, and nothing else.

In a live kernel :meth:`Explorer.show` displays the controls above a plotly
``FigureWidget``; moving a control recomputes the data and updates the existing
figure in place (``batch_update``), so the camera and zoom stay where the reader put
them. Where widgets cannot render (Colab, VS Code without the widget renderer, a
rendered HTML page, a missing ``anywidget``) the same explorer shows a plain plotly
figure instead, with plotly's own slider over a few precomputed values of its main
control, which works without any kernel. The output of the widget view carries this
static figure as an HTML fallback too, so a page rendered from an executed notebook
still shows it.

Choose the mode by hand with ``explorer.show("static")``, :func:`set_display_mode`, or
the environment variable ``NAGVIZ_DISPLAY=static`` (or ``widget``).

In lecture mode (``NAGVIZ_LECTURE=1280x720``, set by ``make present``) the widget view
puts the controls in a column beside a figure sized for that screen, with fonts of at
least 18 px (:func:`nagviz.theme.lecture_overrides`), before and after every move. The
static slider labels every step it draws: its labels shrink to 14 px and, if they still
do not fit, steps are thinned (:func:`slider_label_stride` mirrors plotly's rule); a
legend below the plot moves above it, clear of the slider.

Slow explorers derive from :class:`ProgressExplorer`: their ``compute`` takes a
``progress(done, total)`` callback, drawn by a ``tqdm`` notebook bar
(:class:`ProgressBar`) under the controls. :class:`KeepStaticTraces` skips resending heavy
traces that did not change (every update sends only what changed: :mod:`._live`), and a
few helpers (:func:`json_lists`, :func:`log_floor`,
:func:`panel_title`, :func:`flat_colorscale`) are shared by the figures.
"""

from __future__ import annotations

import contextvars
import os
import sys
import time
import types
from typing import Any

from .._progress import advance
from ._live import from_record, remember_sent, send_changes, to_record
from ._slider_labels import (SLIDER_LEN, label_width, labelled_steps, legend_above_plot,
                             slider_label_stride)

__all__ = ["Explorer", "KeepStaticTraces", "ProgressBar", "ProgressExplorer", "display_mode",
           "plain_figure", "set_display_mode", "static_reason", "title", "STYLE", "LOG_FLOOR",
           "json_lists", "label_width", "slider_label_stride",
           "log_floor", "panel_title", "flat_colorscale", "send_changes",
           "remember_sent", "to_record", "from_record"]

_MODE_OVERRIDE: str | None = None
_MODES = ("widget", "static")


def set_display_mode(mode: str | None) -> None:
    """Force ``"widget"`` or ``"static"`` for every explorer; ``None`` goes back to automatic.

    Examples
    --------
    >>> set_display_mode("static"); display_mode()
    'static'
    >>> set_display_mode(None)
    """
    global _MODE_OVERRIDE
    if mode is not None and mode not in _MODES:
        raise ValueError(f"display mode must be 'widget', 'static' or None, got {mode!r}")
    _MODE_OVERRIDE = mode


def display_mode() -> str:
    """``"widget"`` where interactive widgets can render, ``"static"`` otherwise.

    Order of precedence: :func:`set_display_mode`, the ``NAGVIZ_DISPLAY`` environment
    variable, then detection: static in Google Colab, without ``ipywidgets`` or
    ``anywidget``, or outside a Jupyter kernel (:func:`static_reason` says which).

    Examples
    --------
    >>> display_mode()          # a doctest runs outside a Jupyter kernel
    'static'
    """
    return _mode_and_reason()[0]


def static_reason() -> str | None:
    """Why the explorers are static here, with how to get sliders (None if they are live
    or static by explicit choice).

    Examples
    --------
    >>> static_reason()         # outside a Jupyter kernel
    'not running in a Jupyter kernel'
    """
    return _mode_and_reason()[1]


def _mode_and_reason():
    if _MODE_OVERRIDE is not None:
        return _MODE_OVERRIDE, None
    env = os.environ.get("NAGVIZ_DISPLAY", "").strip().lower()
    if env in _MODES:
        return env, None
    if "google.colab" in sys.modules:
        return "static", ("Google Colab shows plotly figures but not nagviz's live explorers; "
                          "for sliders, run the notebook in JupyterLab (see the README)")
    missing = [name for name in ("ipywidgets", "anywidget") if not _importable(name)]
    if missing:
        return "static", (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                          "not installed; for live sliders: pip install \"nagviz[widgets]\" "
                          "and restart the kernel")
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return "static", "IPython is not installed"
    shell = get_ipython()
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return "static", "not running in a Jupyter kernel"
    return "widget", None


def _importable(name: str) -> bool:
    """Whether ``name`` can be imported, without importing it (ipywidgets takes 0.35 s)."""
    import importlib.util

    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class _ControlSpec:
    """What a control says about itself (value, range, options) when ipywidgets is missing."""

    def __init__(self, *args, **kwargs):
        self.__dict__.update(kwargs)
        if "value" not in kwargs:
            options = kwargs.get("options") or ()
            first = next(iter(options), None)
            self.value = first[1] if isinstance(first, tuple) else (
                first if options else kwargs.get("min", 0))
        self.layout = types.SimpleNamespace()
        self.style = {}

    def observe(self, *args, **kwargs):
        pass


def _make_controls(explorer) -> dict:
    """``explorer.make_controls()``, with stand-ins for the widgets when ipywidgets is missing
    (the static figure only needs each control's value and range)."""
    if _importable("ipywidgets"):
        return explorer.make_controls()
    stand_in = types.ModuleType("ipywidgets")
    stand_in.__getattr__ = lambda name: _ControlSpec
    saved = sys.modules.get("ipywidgets", _MISSING)
    sys.modules["ipywidgets"] = stand_in
    try:
        return explorer.make_controls()
    finally:
        if saved is _MISSING:
            del sys.modules["ipywidgets"]
        else:
            sys.modules["ipywidgets"] = saved


_MISSING = object()
_TOLD_WHY = False


def _same_in_all(frames, i) -> bool:
    """Whether trace ``i`` is identical in every frame."""
    first = frames[0].data[i].to_plotly_json()
    return all(_equal_json(f.data[i].to_plotly_json(), first) for f in frames[1:])


def _equal_json(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal_json(a[k], b[k]) for k in a)
    if hasattr(a, "shape") or hasattr(b, "shape"):
        import numpy as np

        try:
            return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
        except TypeError:
            return bool(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_equal_json(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


class Explorer:
    """Base class: subclasses define :meth:`make_controls`, :meth:`compute`, :meth:`figure`.

    Class attributes
    ----------------
    title : str
        Shown above the controls.
    question : str
        The prediction to make *before* touching the controls ("What happens to ... if
        ...?"). The notebooks ask it in their prose, with its context, right above the
        explorer, so it is not repeated there; ``show(ask=True)`` prints it above the
        controls, for an explorer used on its own.
    static_control : str or None
        The control that plotly's own slider steps through in static mode.
    static_values : sequence or None
        Its values there (default: up to 8 values from the control's range).
    static_presets : sequence of dict
        Further states of the static slider, each a dict of control values that differ
        from the explorer's current ones (e.g. the architecture a prompt asks about), so
        that readers without a kernel can reach what the notebook asks; their steps are
        labelled with the controls they change (:meth:`static_label`).
    static_skip_unchanged : bool
        Leave traces that are the same in every static step (a loss surface) out of the
        steps, which then restyle only the others: a much smaller page.
    slow : bool or str
        Set for explorers whose ``compute`` takes more than ~50 ms: sliders then update
        on release only and a busy message is shown while computing. A string says why
        the time is the cost of the mathematics (``benchmarks/widgets.py`` prints it).

    Parameters
    ----------
    **values
        Initial control values (defaults come from :meth:`make_controls`).
    """

    title = ""
    question = ""
    static_control: str | None = None
    static_values = None
    static_presets: tuple = ()
    static_skip_unchanged = False
    slow = False

    def __init__(self, **values):
        defaults = self.defaults()
        unknown = set(values) - set(defaults)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no control(s) {sorted(unknown)}; "
                            f"its controls are {sorted(defaults)}")
        self.values: dict[str, Any] = {**defaults, **values}
        self._controls = None
        self.figure_widget = None
        self._info = None
        self._status = None
        self.last_update_seconds: float | None = None

    # -- to be written by each explorer -------------------------------------------------
    def make_controls(self) -> dict:
        """``{name: ipywidgets control}``; names are ``compute``'s keyword arguments."""
        raise NotImplementedError

    def defaults(self) -> dict:
        """Default control values (pure, no widgets): override for speed if needed."""
        return {name: w.value for name, w in _make_controls(self).items()}

    def compute(self, **values) -> dict:
        """Pure function: control values -> plain data for :meth:`figure`."""
        raise NotImplementedError

    def figure(self, data):
        """A ``plotly.graph_objects.Figure`` drawn from ``data``; no mathematics here."""
        raise NotImplementedError

    def info(self, data) -> str | None:
        """Optional HTML (may contain LaTeX between ``$``) shown under the figure."""
        return None

    # -- shared behaviour ------------------------------------------------------------------
    @property
    def controls(self) -> dict:
        """The control widgets (built on first use and wired to the figure)."""
        if self._controls is None:
            self._controls = self.make_controls()
            for name, control in self._controls.items():
                if name in self.values:
                    control.value = self.values[name]
                if self.slow and hasattr(control, "continuous_update"):
                    control.continuous_update = False
                control.observe(self._on_change, names="value")
        return self._controls

    def data(self) -> dict:
        """``compute`` at the current control values."""
        return self.compute(**self.values)

    def static_figure(self, frames: bool = True):
        """A plain plotly figure at the current values, with plotly's own slider over
        :attr:`static_control` when the explorer declares one and ``frames`` is true
        (works without a kernel)."""
        from ..theme import FONT_SIZE, apply

        apply()
        fig = self.figure(self.data())
        if self.static_control is None or not frames:
            return fig
        states = self.static_states()
        if len(states) < 2:
            return fig
        frames = [self.figure(self.compute(**state)) for state in states]
        n = len(fig.data)
        if any(len(f.data) != n for f in frames):
            return fig  # trace structure changes with the control: one figure only
        keys = ("x", "y", "z", "text", "customdata", "i", "j", "k", "visible", "name")
        traces = list(range(n))
        if self.static_skip_unchanged:
            traces = [i for i in traces if not _same_in_all(frames, i)]
        steps = []
        for state, f in zip(states, frames):
            restyle = {}
            for key in keys:
                column = [getattr(f.data[i], key, None) if key in f.data[i] else None
                          for i in traces]
                if any(c is not None for c in column):
                    restyle[key] = [list(c) if hasattr(c, "__len__") and not isinstance(c, str)
                                    else c for c in column]
            relayout = {"title.text": f.layout.title.text} if f.layout.title.text else {}
            for axis in ("xaxis", "yaxis"):  # a frame may need its own range or scale
                ax = f.layout[axis]
                for prop in ("range", "type", "tickmode", "dtick"):
                    if ax[prop] is not None:
                        value = ax[prop]
                        relayout[f"{axis}.{prop}"] = list(value) if prop == "range" else value
                if ax.title.text is not None:
                    relayout[f"{axis}.title.text"] = ax.title.text
            args = [restyle, relayout] + ([traces] if self.static_skip_unchanged else [])
            steps.append(dict(method="update", label=self.static_label(state), args=args))
        current = next((i for i, state in enumerate(states) if state == self.values), 0)
        fig = frames[current]
        # an explorer with presets keeps every step (the prompts' states and each value of
        # the control must stay reachable; the readout above the slider names each one)
        keep = set(range(len(steps))) if self.static_presets else set()
        steps, current, label_size = labelled_steps(steps, current, fig, keep)
        bottom = max(fig.layout.margin.b or 0, 150)
        fig.update_layout(
            height=(fig.layout.height or 560) + 90, margin=dict(b=bottom),
            sliders=[dict(active=current, steps=steps, pad=dict(t=75), len=SLIDER_LEN, x=0.05,
                          font=dict(size=label_size),
                          currentvalue=dict(prefix=f"{self.static_control} = ",
                                            font=dict(size=fig.layout.font.size or FONT_SIZE)))])
        legend_above_plot(fig)
        return fig

    def static_states(self) -> list[dict]:
        """The control values of the static slider's steps: :attr:`static_values` of the
        :attr:`static_control` at the current values, then the :attr:`static_presets`."""
        states = [{**self.values, self.static_control: v} for v in self._static_values()]
        for preset in self.static_presets:
            state = {**self.values, **preset}
            if state not in states:
                states.append(state)
        return states

    def static_label(self, state: dict) -> str:
        """A static step's label: the value of :attr:`static_control`, followed by the other
        controls whose values differ from the explorer's own."""
        changed = [f"{name} = {value}" for name, value in state.items()
                   if name != self.static_control and value != self.values.get(name)]
        return ", ".join([str(state[self.static_control])] + changed)

    def _static_values(self):
        if self.static_values is not None:
            return self.static_values
        control = _make_controls(self)[self.static_control]
        options = getattr(control, "options", None)
        if options:
            return [o[1] if isinstance(o, tuple) else o for o in options][:8]
        lo, hi = control.min, control.max
        step = getattr(control, "step", 1) or 1
        n = int(round((hi - lo) / step)) + 1
        stride = max(1, -(-n // 8))
        return [type(control.value)(lo + i * step) for i in range(0, n, stride)]

    def widget(self, ask: bool = False):
        """The interactive view: title (and ``question`` with ``ask=True``), controls,
        ``FigureWidget``, info line."""
        import ipywidgets as widgets
        import plotly.graph_objects as go

        from ..theme import apply

        apply()
        controls = self.controls
        if self.figure_widget is None:
            data = self.data()
            fig = self._live_figure(data)
            self.figure_widget = _figure_widget(go, fig)
            remember_sent(self.figure_widget, fig)
            self._info = widgets.HTMLMath(self.info(data) or "")
            self._status = widgets.HTML("")
        head = []
        if self.title:
            head.append(widgets.HTML(f"<h3 style='margin:4px 0'>{self.title}</h3>"))
        if ask and self.question:
            head.append(widgets.HTML(
                f"<p style='font-size:1.1em'><b>Predict first:</b> <i>{self.question}</i></p>"))
        lecture = self._lecture_layout()
        if lecture is not None:  # a projector: controls in a column beside the figure
            for control in controls.values():
                control.layout.margin = "2px 0"
                control.layout.width = "100%"
            column = widgets.VBox(list(controls.values()) + [self._status], layout=widgets.Layout(
                width=f"{lecture.controls_width}px", min_width=f"{lecture.controls_width}px",
                margin=f"0 {lecture.gap}px 0 0"))
            column.add_class("nagviz-controls")
            row = widgets.HBox([column, self.figure_widget],
                               layout=widgets.Layout(align_items="flex-start"))
            return _explorer_view(self, head + [row, self._info])
        for control in controls.values():
            control.layout.margin = "2px 24px 2px 0"
        box = widgets.Box(list(controls.values()),
                          layout=widgets.Layout(display="flex", flex_flow="row wrap"))
        box.add_class("nagviz-controls")
        return _explorer_view(self, head + [box, self._status, self.figure_widget, self._info])

    @staticmethod
    def _lecture_layout():
        from ..theme import lecture_layout, lecture_screen

        screen = lecture_screen()
        return None if screen is None else lecture_layout(screen)

    def _live_figure(self, data, fit=True):
        """:meth:`figure` sized for the live view: the lecture screen in lecture mode
        (:func:`nagviz.theme.fit_for_lecture`; with ``fit=False`` left to :meth:`_update`),
        else :data:`nagviz.theme.FIGURE_WIDTH` wide unless the explorer chose a width."""
        from ..theme import FIGURE_WIDTH, fit_for_lecture

        fig = self.figure(data)
        lecture = self._lecture_layout()
        if lecture is not None:
            return fit_for_lecture(fig, lecture) if fit else fig
        if fig.layout.width is None:  # plotly's widget would default to 700 px
            fig.update_layout(width=FIGURE_WIDTH)
        return fig

    def _on_change(self, change):
        owner = change["owner"]
        for name, control in self._controls.items():
            if control is owner:
                self.values[name] = change["new"]
        self.refresh()

    def refresh(self):
        """Recompute and update the figure in place (called when a control moves)."""
        start = time.perf_counter()
        if self._status is not None and self.slow:
            self._status.value = "<i>computing…</i>"
        data = self.data()
        if self.figure_widget is not None:
            token = _PLAIN_SPECS.set(True)  # plain_figure returns its dicts: no plotly objects
            try:
                fresh = self.figure(data)
            finally:
                _PLAIN_SPECS.reset(token)
            self._update(self.figure_widget, _fit_for_lecture(fresh))
            self._info.value = self.info(data) or ""
        if self._status is not None:
            self._status.value = ""
        self.last_update_seconds = time.perf_counter() - start
        return data

    @staticmethod
    def _update(target, new):
        """Copy the traces and layout of ``new`` into the live figure ``target``.

        Only what changed since the last update is sent (:func:`send_changes`); the
        reader's camera (``scene``) is kept and the template is not resent.
        """
        send_changes(target, new)

    def show(self, mode: str | None = None, ask: bool = False):
        """Display the explorer: ``mode`` is ``"widget"``, ``"static"`` or automatic.

        ``ask=True`` also prints the explorer's ``question`` ("Predict first: ...") above
        it; the notebooks ask it in their own words just before.
        """
        from IPython.display import display

        mode = mode or display_mode()
        if mode not in _MODES:
            raise ValueError(f"mode must be 'widget' or 'static', got {mode!r}")
        if mode == "static":
            from ._export import figure_mimebundle

            global _TOLD_WHY
            reason = static_reason()
            if reason and not _TOLD_WHY:  # once per kernel, and only where it is a surprise
                display(_Html(f"<p><small>nagviz: static figures with plotly's own slider, "
                              f"because {reason}.</small></p>"))
                _TOLD_WHY = True
            fig = self.static_figure()
            if ask and self.question:
                display(_Html(f"<p><b>Predict first:</b> <i>{self.question}</i></p>"))
            display(figure_mimebundle(fig), raw=True)
            info = self.info(self.data())
            if info:
                display(_Html(info))
            return fig
        view = self.widget(ask=ask)
        bundle = view._repr_mimebundle_()
        try:  # static fallback for front ends without the widget renderer
            fallback = self.static_figure(frames=False)  # one frame: cheap, and small
            bundle["text/html"] = fallback.to_html(full_html=False, include_plotlyjs="cdn")
        except Exception:  # pragma: no cover - the fallback must never break the widget
            pass
        display(bundle, raw=True)
        return view

    def _ipython_display_(self):
        self.show()


class ProgressBar:
    """A ``tqdm`` progress bar for an explorer, fed by a ``progress(done, total)`` callback.

    The bar is ``tqdm``'s notebook widget (description, bar, count, rate and time left),
    kept in the explorer's controls and reused for every computation. It stays hidden
    unless a computation is still running ``delay`` seconds after it started, so cached
    answers never flash a bar. Call the instance as the callback.

    Examples
    --------
    >>> bar = ProgressBar(delay=0.0)
    >>> bar(0, 4); bar(2, 4)
    >>> bar.tqdm.n, bar.tqdm.total, bar.widget.layout.visibility
    (2, 4, 'visible')
    >>> bar(4, 4); bar.widget.layout.visibility
    'hidden'
    """

    def __init__(self, description: str = "computing", delay: float = 0.5):
        from tqdm.notebook import tqdm as notebook_tqdm

        self.delay = float(delay)
        self.description = description
        self.tqdm = notebook_tqdm(total=1, desc=description, display=False, leave=True,
                                  mininterval=0.0)
        self.widget = self.tqdm.container
        self.widget.layout.visibility = "hidden"
        self.widget.layout.width = "60%"
        self._start = None
        self._fresh = True
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == 0 or self._start is None:
            self._start, self._fresh = now, True
        if done >= total:
            self.widget.layout.visibility = "hidden"
            self._start = None
            return
        if now - self._start >= self.delay:
            if self._fresh:  # a new computation: tqdm's clock starts when it did
                self.tqdm.reset(total=max(int(total), 1))
                self.tqdm.start_t -= now - self._start
                self._fresh = False
            advance(self.tqdm, done, total)
            self.widget.layout.visibility = "visible"
            self.shown = True


class KeepStaticTraces(Explorer):
    """In-place updates that skip heavy traces which did not change.

    A trace whose ``meta`` is ``"static:<key>"`` depends only on ``<key>`` (a curve, a
    mesh); when the live trace carries the same ``meta`` it is left alone, so that moving
    a target does not resend a 160 x 160 heat map or a surface.
    """

    def _update(self, target, new):
        send_changes(target, new, keep_static=True)


class ProgressExplorer(Explorer):
    """An explorer whose ``compute`` takes ``progress=``: in widget mode a
    :class:`ProgressBar` under the controls follows long computations."""

    progress_label = "computing"
    cache_dir = None  # for explorers with a disk cache: None is nagviz's default folder

    def data(self):
        return self.compute(**self.values, progress=getattr(self, "_bar", None))

    def widget(self, ask: bool = False):
        if getattr(self, "_bar", None) is None:
            self._bar = ProgressBar(self.progress_label)
        view = super().widget(ask=ask)
        boxes = [view] + [box for row in view.children for box in getattr(row, "children", ())
                          if hasattr(box, "children")]
        holder = next(box for box in boxes if self._status in box.children)  # lecture: a column
        children = list(holder.children)
        if self._bar.widget not in children:
            children.insert(children.index(self._status) + 1, self._bar.widget)
            holder.children = tuple(children)
        return view


# --------------------------------------------------------------------------- figure helpers

#: Control style: descriptions as wide as they need.
STYLE = {"description_width": "initial"}
#: Log-scale plots put exact zeros here.
LOG_FLOOR = 1e-17


def json_lists(a, decimals: int = 5):
    """Nested lists with ``None`` for NaN (the widget comm needs valid JSON), rounded.

    Examples
    --------
    >>> json_lists([[1.234567, float("nan")]], 2)
    [[1.23, None]]
    """
    import numpy as np

    a = np.round(np.asarray(a, dtype=float), decimals)
    return np.where(np.isfinite(a), a, None).tolist()


def log_floor(a):
    """``|a|`` with zeros and NaN raised to :data:`LOG_FLOOR`, for log axes.

    Examples
    --------
    >>> log_floor([0.0, -2.0]).tolist()
    [1e-17, 2.0]
    """
    import numpy as np

    return np.maximum(np.nan_to_num(np.abs(np.asarray(a, dtype=float)), nan=LOG_FLOOR),
                      LOG_FLOOR)


def panel_title(text, x, y=1.0):
    """An annotation dict titling one panel of a figure with several, at paper ``x``.

    Examples
    --------
    >>> panel_title("loss", 0.25)["x"], panel_title("loss", 0.25)["yanchor"]
    (0.25, 'bottom')
    """
    return dict(text=text, x=x, y=y, xref="paper", yref="paper", showarrow=False,
                xanchor="center", yanchor="bottom", font=dict(size=16, color="#444"))


def flat_colorscale(color):
    """A plotly colorscale of one colour.

    Examples
    --------
    >>> flat_colorscale("#D55E00")
    [[0.0, '#D55E00'], [1.0, '#D55E00']]
    """
    return [[0.0, color], [1.0, color]]


def _figure_widget(go, fig):
    """A live figure for ``fig``: plotly's ``FigureWidget``, loading its ~5 MB bundle
    once per page instead of once per figure (see :mod:`._plotly_widget`), so that
    pages with many figures (Voila) stay within anywidget's 2 s load deadline."""
    try:
        from ._plotly_widget import FigureWidget, shared_bundle_available
    except Exception:  # pragma: no cover - a plotly whose widget this cannot wrap
        return go.FigureWidget(fig)
    if not shared_bundle_available():  # pragma: no cover - plotly's module is a URL
        return go.FigureWidget(fig)
    return FigureWidget(fig)


def plain_figure(traces, **layout):
    """A plotly figure from plain trace and layout dicts, skipping plotly's validation.

    Validation costs 15-35 ms per slider move; the explorers build their figures from
    plain dicts they control, so it buys nothing there. Titles must be written
    ``dict(text=...)`` (no shorthand is expanded).

    Examples
    --------
    >>> fig = plain_figure([dict(type="bar", x=[1, 2], y=[3, 4])], title=title("counts"))
    >>> fig.data[0].type, fig.layout.title.text
    ('bar', 'counts')
    """
    spec = dict(data=traces, layout=layout)
    if _PLAIN_SPECS.get():
        return _FigureSpec(spec)
    import plotly.graph_objects as go

    try:
        return go.Figure(spec, _validate=False)
    except TypeError:  # pragma: no cover - a plotly without the private switch
        return go.Figure(spec)


#: Set by :meth:`Explorer.refresh`: :func:`plain_figure` then returns a :class:`_FigureSpec`.
_PLAIN_SPECS = contextvars.ContextVar("nagviz_plain_specs", default=False)


class _FigureSpec:
    """What :func:`plain_figure` returns inside :meth:`Explorer.refresh`: its plain dicts,
    read by :func:`send_changes` as a figure's ``_data`` and ``_layout``. Building a
    plotly figure (15-150 ms with large arrays) is skipped; any other use of the object
    builds the figure then, and reads it from there on."""

    def __init__(self, spec):
        self._spec, self._built = spec, None

    @property
    def _data(self):
        return self._spec["data"] if self._built is None else self._built._data

    @property
    def _layout(self):
        return self._spec["layout"] if self._built is None else self._built._layout

    def __getattr__(self, name):
        if name.startswith("__") or name in ("_spec", "_built"):
            raise AttributeError(name)
        if self._built is None:
            import plotly.graph_objects as go

            self._built = go.Figure(self._spec)
        return getattr(self._built, name)


def title(text, **options):
    """A layout title dict for :func:`plain_figure`.

    Examples
    --------
    >>> title("loss", x=0.5)
    {'text': 'loss', 'x': 0.5}
    """
    return dict(text=text, **options)


def _fit_for_lecture(fig):
    """In lecture mode (:func:`nagviz.theme.lecture_screen`), ``fig`` (a plotly figure or
    the plain spec :meth:`Explorer.refresh` builds) fitted to the screen as plain dicts,
    for :func:`send_changes` to diff; else ``fig`` unchanged."""
    from ..theme import lecture_layout, lecture_overrides, lecture_screen, merge_layout

    screen = lecture_screen()
    if screen is None:
        return fig
    traces, layout = [dict(t) for t in fig._data], dict(fig._layout)
    fitted = merge_layout(layout, lecture_overrides(layout, traces, lecture_layout(screen)))
    return _FigureSpec(dict(data=traces, layout=fitted))


_VIEW_CLASS = None


def _explorer_view(explorer, children):
    """The ``VBox`` :meth:`Explorer.widget` returns, with a one-line text form.

    ipywidgets gives every displayed widget a ``text/plain`` form of at most 110
    characters, made by formatting the whole widget first: children, the figure and all
    its data (measured: 12-22 ms for notebook 05's explorers, 140 ms while the Voronoi
    heat map was nested lists). The view's own ``__repr__`` names the explorer instead.
    """
    import ipywidgets as widgets

    global _VIEW_CLASS
    if _VIEW_CLASS is None:
        class ExplorerView(widgets.VBox):
            """An explorer's live view (a ``VBox``: title, controls, figure, info line)."""

            def __repr__(self):
                name = getattr(self, "_nagviz_explorer", "an explorer")
                return f"{name}: a live view (controls and figure), drawn where widgets run"

        _VIEW_CLASS = ExplorerView
    view = _VIEW_CLASS(children, layout=widgets.Layout(width="100%"))
    view._nagviz_explorer = type(explorer).__name__
    view.add_class("nagviz-explorer")
    return view


class _Html:
    def __init__(self, html):
        self.html = html

    def _repr_html_(self):
        return self.html
