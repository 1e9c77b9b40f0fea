"""Explorers of notebook 02: dimension, expressivity and sample complexity.

* :class:`AtlasExplorer` -- a heat map of the exact dimension (or defect, filling, ...)
  over a family of architectures, with the Alexander–Hirschowitz exceptions marked;
* :class:`DegreeThresholdExplorer` -- the dimension of one width pattern as the
  activation degree ``r`` grows, against the expected and ambient dimensions;
* :class:`RecoveryExplorer` -- teacher–student recovery error and Jacobian rank against
  the number of samples ``N``, with the dimension, parameter count and ambient
  dimension marked;
* the plain figures of :mod:`nagviz.explorers.degree`, re-exported.

Every number comes from :mod:`nagviz.atlas` or :mod:`nagviz.sample_complexity`, which
cache their results in memory and on disk (:mod:`nagviz.cache`). The views add
progress bars on top of those modules' ``progress(done, total)`` callbacks: an
``ipywidgets.IntProgress`` inside an explorer (shown only when a computation lasts more
than half a second), or a ``tqdm`` bar around :func:`prewarm`. The mathematics stays free
of widgets.

Colours by role (:data:`nagviz.theme.COLORS`): the dimension of the neurovariety is blue
(``manifold``), the expected dimension sky blue (``boundary``), parameter counts and the
ambient dimension grey (``neutral``, with different dashes), defects vermillion
(``singular``), the kept student orange (``teacher``), every restart reddish purple
(``path``) and polynomial regression on the data bluish green (``data``).

>>> from nagviz.explorers.dimension import AtlasExplorer
>>> data = AtlasExplorer().compute(family="shallow", r=4, quantity="defect")
>>> data["defective_widths"]
[(3, 5, 1), (4, 9, 1), (5, 14, 1)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..architecture import Architecture
from ..atlas import (  # the presets are re-exported: notebook 02 reads them from here
    ATLAS_FAMILIES,
    THRESHOLD_PRESETS,
    alexander_hirschowitz_dimension,
    degree_threshold,
    grid_atlas,
)
from ..cache import memoize
from ..sample_complexity import recovery_experiment
from ..theme import COLORS, COLORSCALE
from .._progress import tqdm_progress
from ._base import ProgressExplorer, plain_figure as _figure, title as _title
from .degree import ERROR_FLOOR as _ERROR_FLOOR
from .degree import (  # noqa: F401  (re-exported: notebook 02 reads them from here)
    covering_figure,
    interpolants_data,
    interpolants_figure,
    slice_figure,
)

__all__ = [
    "AtlasExplorer",
    "DegreeThresholdExplorer",
    "RecoveryExplorer",
    "ATLAS_FAMILIES",
    "THRESHOLD_PRESETS",
    "RECOVERY_PRESETS",
    "tqdm_progress",
    "prewarm",
    "interpolants_data",
    "interpolants_figure",
    "slice_figure",
    "covering_figure",
]

_STYLE = {"description_width": "initial"}
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# --------------------------------------------------------------------------- helpers

def _power(r) -> str:
    return "z" + str(r).translate(_SUP)


_ProgressExplorer = ProgressExplorer  # its cache_dir None: nagviz.atlas.cache_directory()


def _run_jobs(jobs, progress):
    """Run ``(units, job(progress))`` pairs, reporting one combined progress."""
    total = sum(units for units, _ in jobs)
    if progress is not None:
        progress(0, total)
    offset = 0
    for units, job in jobs:
        def sub(done, _total, offset=offset, units=units):
            if progress is not None:
                progress(offset + min(done, units), total)
        job(sub)
        offset += units
        if progress is not None:
            progress(offset, total)
    return total


# --------------------------------------------------------------------------- the atlas

_QUANTITY_LABELS = {
    "dimension": "dimension",
    "defect": "defect = expected − dimension",
    "expected": "expected dimension",
    "ambient": "ambient dimension",
    "parameters": "parameters",
    "fiber": "fiber dimension = parameters − dimension",
    "filling": "fills the ambient space",
}
_DEFECT_CAP = 10
_DEFECT_SCALE = [[0.0, "#EDEDED"], [0.1, "#F8CFAF"], [1.0, COLORS["singular"]]]
_FILLING_SCALE = [[0.0, "#EEEEEE"], [0.5, "#EEEEEE"], [0.5, COLORS["manifold"]],
                  [1.0, COLORS["manifold"]]]


def _cached_call(func, *args, progress=None):
    """``func(*args, progress=...)`` of a memoized ``func``; a cached answer reports (1, 1)."""
    reported = []

    def relay(done, total):
        reported.append(done)
        progress(done, total)

    result = func(*args, progress=None if progress is None else relay)
    if progress is not None and not reported:
        progress(1, 1)
    return result


@memoize(maxsize=64, ignore=("progress",))
def _atlas_of(family: str, r: int, cache_dir, progress=None):
    fam = ATLAS_FAMILIES[family]
    return grid_atlas(fam.widths_of, fam.rows, fam.columns, r, row_label="d_0",
                      column_label=fam.column_label, description=f"widths {fam.pattern}",
                      progress=progress, cache_dir=cache_dir)


def _atlas(family: str, r: int, cache_dir=None, progress=None):
    """The :class:`nagviz.atlas.AtlasResult` of one family at one degree (kept in memory)."""
    return _cached_call(_atlas_of, family, int(r), cache_dir, progress=progress)


def _ah_exceptional(d0: int, d1: int, r: int) -> bool:
    """Whether Alexander–Hirschowitz says that ``(d0, d1, 1)`` with ``z^r`` is defective."""
    if r < 2:
        return False
    return alexander_hirschowitz_dimension(d0, d1, r) < min(d0 * d1, math.comb(d0 + r - 1, r))


class AtlasExplorer(_ProgressExplorer):
    """A dimension atlas: one cell per architecture of a family, coloured by a quantity.

    Controls: the ``family`` of architectures (shallow with one or two outputs, deep with
    two or three equal hidden layers, a width-one bottleneck), the activation degree
    ``r`` (``sigma = z^r``; ``r = 1`` is a linear network) and the ``quantity`` shown.
    Hovering over a cell shows all its numbers; clicking one writes them under the
    figure. Open circles mark defective cells; for shallow networks with one output,
    stars mark the cells the Alexander–Hirschowitz theorem predicts to be defective.

    Examples
    --------
    >>> data = AtlasExplorer().compute(family="shallow", r=2, quantity="dimension")
    >>> int(data["z"][1][1]), data["row_values"][1], data["column_values"][1]   # (3, 2, 1)
    (5, 3, 2)
    >>> data["ah_agrees"]
    True
    """

    title = "A dimension atlas"
    question = ("a shallow network (d₀, d₁, 1) computes sums of d₁ r-th powers of linear "
                "forms. Counting gives min(d₀·d₁, ambient). For which cells is counting wrong "
                "when r = 2? When r = 3 or 4? And what happens for deep networks at r = 2?")
    static_control = "r"
    static_values = (1, 2, 3, 4, 5)
    progress_label = "computing dimensions"
    # every family at every degree is in the shipped dimension table (nagviz.sweeps): a
    # first visit validates its records (about 3 ms each), a later one is a lookup

    def make_controls(self):
        import ipywidgets as w

        return {
            "family": w.Dropdown(options=[(f.label, k) for k, f in ATLAS_FAMILIES.items()],
                                 value="shallow", description="family", style=_STYLE),
            "r": w.IntSlider(value=3, min=1, max=5, description="degree r (σ = zʳ)",
                             style=_STYLE),
            "quantity": w.Dropdown(options=[(v, k) for k, v in _QUANTITY_LABELS.items()],
                                   value="defect", description="show", style=_STYLE),
        }

    def defaults(self):
        return dict(family="shallow", r=3, quantity="defect")

    def compute(self, family, r, quantity, progress=None):
        fam = ATLAS_FAMILIES[family]
        atlas = _atlas(family, r, getattr(self, "cache_dir", None), progress)
        values = atlas.quantity(quantity)
        z = values.astype(float)
        rows, cols = atlas.row_values, atlas.column_values
        act = _power(r)
        hover, text = [], []
        ah_cells, defective_cells, defective_widths = [], [], []
        ah_agrees = None
        if fam.shallow_one_output and r >= 2:
            ah = np.array([[alexander_hirschowitz_dimension(d0, d1, r) for d1 in cols]
                           for d0 in rows])
            ah_agrees = bool(np.array_equal(ah, atlas.dimension))
        records = atlas.to_records()
        for i, d0 in enumerate(rows):
            hover_row, text_row = [], []
            for j, w in enumerate(cols):
                rec = records[i * len(cols) + j]
                widths = tuple(rec["widths"])
                defect = rec["defect"]
                predicted = fam.shallow_one_output and _ah_exceptional(d0, w, r)
                if predicted:
                    ah_cells.append((w, d0))
                if defect > 0:
                    defective_widths.append(widths)
                    defective_cells.append((w, d0))
                lines = [f"<b>widths {widths}</b>, σ(z) = {act}",
                         f"parameters {rec['parameters']}, ambient {rec['ambient_dimension']}",
                         f"expected {rec['expected_dimension']}, "
                         f"<b>dimension {rec['dimension']}</b>",
                         f"defect {defect}, fiber {rec['fiber_dimension']}, "
                         f"fills: {'yes' if rec['filling'] else 'no'}"]
                if predicted:
                    lines.append("Alexander–Hirschowitz exception")
                hover_row.append("<br>".join(lines))
                if quantity == "filling":
                    text_row.append("fills" if rec["filling"] else "")
                elif quantity == "defect" and defect == 0:
                    text_row.append("")
                else:
                    text_row.append(str(int(values[i, j])))
            hover.append(hover_row)
            text.append(text_row)
        return dict(family=family, label=fam.label, pattern=fam.pattern, r=int(r),
                    quantity=quantity, quantity_label=_QUANTITY_LABELS[quantity],
                    row_values=rows, column_values=cols, column_label=fam.column_label,
                    z=z, text=text, hover=hover, ah_cells=ah_cells,
                    defective_cells=defective_cells, defective_widths=defective_widths,
                    n_defective=int(np.sum(atlas.defect > 0)),
                    n_filling=int(np.sum(atlas.filling)), n_cells=int(atlas.dimension.size),
                    ah_agrees=ah_agrees, footer=atlas.footer(),
                    shallow_one_output=fam.shallow_one_output,
                    records=[records[i * len(cols):(i + 1) * len(cols)]
                             for i in range(len(rows))])

    def figure(self, data):
        q = data["quantity"]
        heat = dict(type="heatmap", x=list(data["column_values"]), y=list(data["row_values"]),
                    z=data["z"], text=data["text"], texttemplate="%{text}",
                    textfont=dict(size=14), customdata=data["hover"],
                    hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
                    name=data["quantity_label"])
        if q == "defect":
            heat.update(colorscale=_DEFECT_SCALE, zmin=0, zmax=_DEFECT_CAP,
                        colorbar=dict(title=dict(text="defect", side="top"), thickness=16,
                                      tickvals=[0, 2, 4, 6, 8, 10],
                                      ticktext=["0", "2", "4", "6", "8", "≥ 10"]))
        elif q == "filling":
            heat.update(colorscale=_FILLING_SCALE, zmin=0, zmax=1,
                        colorbar=dict(title=dict(text="fills", side="top"), thickness=16,
                                      tickvals=[0.25, 0.75], ticktext=["no", "yes"]))
        else:
            heat.update(colorscale=COLORSCALE,
                        colorbar=dict(title=dict(text=q, side="top"), thickness=16))
        ah = data["ah_cells"]
        # every defective cell gets a vermillion frame; those the theorem predicts, a star
        frame_x, frame_y = [], []
        framed = [] if q == "defect" else data["defective_cells"]  # the colour says it there
        for x, y in framed:
            a, b = 0.44, 0.42
            frame_x += [x - a, x + a, x + a, x - a, x - a, None]
            frame_y += [y - b, y - b, y + b, y + b, y - b, None]
        traces = [
            heat,
            dict(type="scatter", mode="lines", x=frame_x or [None], y=frame_y or [None],
                 name="defective: dim < expected", hoverinfo="skip",
                 showlegend=q != "defect",
                 line=dict(color=COLORS["singular"], width=3)),
            dict(type="scatter", mode="markers", x=[c[0] + 0.3 for c in ah] or [None],
                 y=[c[1] - 0.26 for c in ah] or [None], name="Alexander–Hirschowitz exception",
                 hoverinfo="skip", showlegend=bool(data["shallow_one_output"]),
                 marker=dict(symbol="star", size=12, color="black",
                             line=dict(color="white", width=1))),
        ]
        title = (f"{data['quantity_label']}: widths {data['pattern']}, "
                 f"σ(z) = z<sup>{data['r']}</sup>")
        return _figure(
            traces,
            title=_title(title, y=0.97),
            xaxis=dict(title=_title(f"hidden width {data['column_label']}"), dtick=1,
                       showgrid=False, zeroline=False, ticks=""),
            yaxis=dict(title=_title("input width d₀"), dtick=1, autorange="reversed",
                       showgrid=False, zeroline=False, ticks=""),
            legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=15)),
            margin=dict(l=80, r=20, t=110, b=60), height=520)

    def info(self, data):
        parts = [f"{data['n_defective']} of {data['n_cells']} architectures are defective and "
                 f"{data['n_filling']} fill their ambient space."]
        if data["ah_agrees"] is not None:
            verdict = ("agrees with the Alexander–Hirschowitz theorem in every cell"
                       if data["ah_agrees"] else "DISAGREES with the Alexander–Hirschowitz "
                       "theorem somewhere: please report this")
            parts.append(f"The exact engine {verdict}.")
        parts.append("Hover over a cell for its numbers, or click it.")
        return " ".join(parts) + f"<br><small>{data['footer']}</small>"

    # -- clicking a cell ------------------------------------------------------------
    def widget(self, ask: bool = False):
        view = super().widget(ask=ask)
        if not getattr(self, "_click_wired", False):
            self.figure_widget.data[0].on_click(self._clicked)
            self._click_wired = True
        return view

    def _clicked(self, trace, points, state=None):
        if not points.xs:
            return
        html = self.cell_html(points.ys[0], points.xs[0])
        if self._info is not None and html:
            self._info.value = html

    def cell_html(self, d0, w) -> str:
        """The numbers of one cell of the current atlas as HTML."""
        data = self.data()
        try:
            i = list(data["row_values"]).index(int(d0))
            j = list(data["column_values"]).index(int(w))
        except ValueError:
            return ""
        rec = data["records"][i][j]
        rows = [("parameters", rec["parameters"]), ("ambient dimension", rec["ambient_dimension"]),
                ("expected dimension", rec["expected_dimension"]),
                ("dimension", rec["dimension"]), ("defect", rec["defect"]),
                ("fiber dimension", rec["fiber_dimension"]),
                ("fills", "yes" if rec["filling"] else "no")]
        body = "".join(f"<tr><td>{k}</td><td style='text-align:right'><b>{v}</b></td></tr>"
                       for k, v in rows)
        return (f"<b>widths {tuple(rec['widths'])}, σ(z) = {_power(data['r'])}</b>"
                f"<table>{body}</table><small>{data['footer']}</small>")

    # -- warming the cache ----------------------------------------------------------
    @classmethod
    def jobs(cls, families=None, degrees=(1, 2, 3, 4, 5), cache_dir=None):
        """``(units, job(progress))`` for every atlas the controls can ask for."""
        out = []
        for family in families or ATLAS_FAMILIES:
            fam = ATLAS_FAMILIES[family]
            for r in degrees:
                out.append((len(fam.rows) * len(fam.columns),
                            lambda p, family=family, r=r: _atlas(family, r, cache_dir, p)))
        return out

    @classmethod
    def prewarm(cls, progress=None, **kwargs):
        """Compute every atlas the controls can show, so that slider moves are instant."""
        return _run_jobs(cls.jobs(**kwargs), progress)


# --------------------------------------------------------------------------- thresholds



@memoize(maxsize=256, ignore=("progress",))
def _threshold_of(widths: tuple, r_max: int, cache_dir, progress=None):
    return degree_threshold(widths, r_max=r_max, r_min=1, progress=progress,
                            cache_dir=cache_dir)


def _threshold(widths, r_max, cache_dir=None, progress=None):
    """The :class:`nagviz.atlas.ThresholdResult` of one pattern (kept in memory)."""
    return _cached_call(_threshold_of, tuple(widths), int(r_max), cache_dir, progress=progress)


class DegreeThresholdExplorer(_ProgressExplorer):
    """Dimension against the activation degree ``r`` for one width pattern.

    Controls: the ``widths`` (a list of instructive patterns) and ``r_max``. The
    dimension (blue) is drawn with the expected dimension (sky blue, dashed), the
    parameter count and the ambient dimension (grey); vermillion bars show the defect,
    and a vertical line the degree from which the expected dimension is reached.
    ``r = 1`` is the linear network, whose expected dimension is that of a
    determinantal variety.

    Examples
    --------
    >>> data = DegreeThresholdExplorer().compute(widths=(3, 3, 3, 1), r_max=4)
    >>> data["dimension"], data["expected"], data["threshold"]
    ([3, 12, 15, 15], [3, 15, 15, 15], 3)
    """

    title = "Activation degree thresholds"
    question = ("the equi-width network (3, 3, 3) reaches its expected dimension at r = 2. "
                "Does (3, 3, 3, 1)? Does the bottleneck (2, 1, 2, 1) ever reach it?")
    static_control = "widths"
    static_values = ((3, 3, 3), (3, 3, 3, 1), (4, 4, 4, 1), (2, 1, 2, 1), (3, 2, 1), (3, 5, 1),
                     (4, 3, 2, 1), (2, 3, 3, 3, 1))
    progress_label = "computing dimensions"
    r_limit = 8

    def make_controls(self):
        import ipywidgets as w

        return {
            "widths": w.Dropdown(options=[(str(p), p) for p in THRESHOLD_PRESETS],
                                 value=(3, 3, 3, 1), description="widths", style=_STYLE),
            "r_max": w.IntSlider(value=6, min=3, max=self.r_limit, description="largest r",
                                 style=_STYLE),
        }

    def defaults(self):
        return dict(widths=(3, 3, 3, 1), r_max=6)

    def compute(self, widths, r_max, progress=None):
        t = _threshold(widths, r_max, getattr(self, "cache_dir", None), progress)
        degrees = list(t.degrees)
        dim, exp, amb, par = (np.asarray(a).tolist() for a in
                              (t.dimension, t.expected, t.ambient, t.parameters))
        bottleneck = any(w == 1 for w in t.widths[1:-1]) and \
            any(w > 1 for w in t.widths[t.widths[1:-1].index(1) + 2:])
        return dict(widths=t.widths, degrees=degrees, dimension=dim, expected=exp,
                    ambient=amb, parameters=par, threshold=t.threshold,
                    defect=[e - d for d, e in zip(dim, exp)], bottleneck=bottleneck,
                    method=f"{t.method}, p = {t.prime}, seed = {t.seed}")

    def figure(self, data):
        r = data["degrees"]
        dim, exp, amb, par = data["dimension"], data["expected"], data["ambient"], \
            data["parameters"]
        top = 1.25 * max(max(exp), max(par), max(dim))
        inside = [(x, a) for x, a in zip(r, amb) if a <= top]
        above = [(x, a) for x, a in zip(r, amb) if a > top]
        seg_x, seg_y = [], []
        for x, d, e in zip(r, dim, exp):
            if e > d:
                seg_x += [x, x, None]
                seg_y += [d, e, None]
        thr = data["threshold"]
        traces = [
            dict(type="scatter", x=[x for x, _ in inside] or [None],
                 y=[a for _, a in inside] or [None], mode="markers", name="ambient",
                 hovertemplate="r = %{x}: ambient %{y}<extra></extra>",
                 marker=dict(size=12, symbol="square", color=COLORS["neutral"])),
            dict(type="scatter", x=[x for x, _ in above] or [None],
                 y=[top] * len(above) or [None], mode="markers+text",
                 text=[str(a) for _, a in above] or [""], textposition="bottom center",
                 textfont=dict(color="#555555", size=14), customdata=[a for _, a in above],
                 name="ambient (off the chart)",
                 hovertemplate="r = %{x}: ambient %{customdata}<extra></extra>",
                 marker=dict(size=12, symbol="triangle-up", color=COLORS["neutral"])),
            dict(type="scatter", x=r, y=par, mode="lines", name="parameters",
                 hovertemplate="r = %{x}: %{y} parameters<extra></extra>",
                 line=dict(color=COLORS["neutral"], dash="dot", width=2)),
            dict(type="scatter", x=seg_x or [None], y=seg_y or [None], mode="lines",
                 name="defect", hoverinfo="skip",
                 line=dict(color=COLORS["singular"], width=10)),
            dict(type="scatter", x=r, y=exp, mode="lines+markers", name="expected",
                 hovertemplate="r = %{x}: expected %{y}<extra></extra>",
                 line=dict(color=COLORS["boundary"], dash="dash", width=3),
                 marker=dict(size=9, symbol="diamond", color=COLORS["boundary"])),
            dict(type="scatter", x=r, y=dim, mode="lines+markers", name="dimension (exact)",
                 customdata=data["defect"],
                 hovertemplate="r = %{x}: dimension %{y}, defect %{customdata}<extra></extra>",
                 line=dict(color=COLORS["manifold"], width=3),
                 marker=dict(size=11, color=COLORS["manifold"])),
            dict(type="scatter", x=[thr, thr] if thr else [None], y=[0, top] if thr else [None],
                 mode="lines", name="threshold", hoverinfo="skip",
                 line=dict(color=COLORS["data"], width=2, dash="longdash")),
        ]
        verdict = (f"expected dimension from r = {thr} on" if thr else
                   f"defective up to r = {r[-1]}")
        return _figure(
            traces,
            title=_title(f"widths {data['widths']}: {verdict}", y=0.97),
            xaxis=dict(title=_title("activation degree r   (r = 1: linear network)"), dtick=1),
            yaxis=dict(title=_title("dimension"), rangemode="tozero"),
            legend=dict(orientation="h", x=0, y=-0.2, yanchor="top", font=dict(size=14)),
            margin=dict(l=80, r=20, t=70, b=150), height=580)

    def info(self, data):
        thr = data["threshold"]
        d = dict(zip(data["degrees"], data["defect"]))
        if thr == 2:
            head = "Counting is right for every r ≥ 2 computed."
        elif thr:
            bad = ", ".join(f"r = {k} (defect {v})" for k, v in d.items() if v and k >= 2)
            head = f"Defective at {bad}; the expected dimension is reached from r = {thr} on."
        else:
            head = (f"Defective at every r up to {data['degrees'][-1]}"
                    + (": after a width-one layer the network only computes multiples of a "
                       "power of one linear form." if data["bottleneck"] else "."))
        return f"{head}<br><small>{data['method']}</small>"

    def widget(self, ask: bool = False):
        # every pattern at every degree the controls reach: about 0.2 s once, and then a
        # move of either control only redraws
        if not getattr(self, "_warm", False):
            self.prewarm(cache_dir=getattr(self, "cache_dir", None))
            self._warm = True
        return super().widget(ask=ask)

    @classmethod
    def jobs(cls, presets=THRESHOLD_PRESETS, r_max=None, cache_dir=None):
        r_max = r_max or cls.r_limit
        out = []
        for widths in presets:
            for rm in range(3, r_max + 1):  # the slider's values; the engine caches each r
                out.append((rm, lambda p, widths=widths, rm=rm: _threshold(widths, rm,
                                                                           cache_dir, p)))
        return out

    @classmethod
    def prewarm(cls, progress=None, **kwargs):
        """Compute every pattern for every value of the ``r_max`` slider."""
        return _run_jobs(cls.jobs(**kwargs), progress)


# --------------------------------------------------------------------------- recovery

@dataclass(frozen=True)
class RecoveryPreset:
    """An architecture for the recovery experiment, with the sample sizes to try."""

    widths: tuple
    r: int
    note: str

    @property
    def architecture(self) -> Architecture:
        return Architecture(self.widths, self.r)

    @property
    def key(self) -> str:
        """The dropdown value, e.g. ``"(3, 2, 1) z²"``."""
        return f"{self.widths} {_power(self.r)}"

    @property
    def label(self) -> str:
        return f"{self.widths}, σ = {_power(self.r)}: {self.note}"

    @property
    def sample_sizes(self) -> tuple:
        a = self.architecture
        return tuple(range(1, max(a.n_parameters, a.monomials_per_output) + 3))


RECOVERY_PRESETS = {p.key: p for p in (
    RecoveryPreset((3, 2, 1), 2, "a hypersurface"),
    RecoveryPreset((5, 2, 1), 3, "narrow"),
    RecoveryPreset((3, 2, 2, 1), 2, "deep"),
    RecoveryPreset((4, 6, 1), 2, "wide"),
)}
RECOVERY_SEED = 0


def _recovery(key, cache_dir=None, progress=None):
    p = RECOVERY_PRESETS[key]
    return recovery_experiment(p.widths, p.sample_sizes, p.r, seed=RECOVERY_SEED,
                               progress=progress, cache_dir=cache_dir)


class RecoveryExplorer(_ProgressExplorer):
    """Sample complexity, measured: recovery error and Jacobian rank against ``N``.

    A teacher network of the chosen architecture gives ``N`` samples; students of the
    same architecture are fitted by Levenberg–Marquardt from random starts
    (:func:`nagviz.sample_complexity.recovery_experiment`, seed 0). Top: the relative
    error of the kept student (orange), of every restart (purple dots, optional) and of
    polynomial regression on all ambient monomials (green), on fresh inputs. Bottom: the
    exact rank of the Jacobian of ``parameters -> N sample values`` against
    ``min(N, dim)``. Vertical lines: dimension, parameter count, ambient dimension.

    Examples
    --------
    >>> data = RecoveryExplorer().compute(architecture="(3, 2, 1) z²", show_restarts=False)
    >>> data["dimension"], data["parameters"], data["ambient"], data["transition"]
    (5, 8, 6, 6)
    >>> data["local_rank"][:7]
    [1, 2, 3, 4, 5, 5, 5]
    """

    title = "How many samples pin a network down?"
    question = ("the narrow network (5, 2, 1) with σ = z³ has 12 parameters and lives in a "
                "35-dimensional space of cubics. From which N on will the student be the "
                "teacher? And polynomial regression?")
    static_control = "architecture"
    static_values = tuple(RECOVERY_PRESETS)
    progress_label = "fitting students"
    # every preset's experiment ships with the package (nagviz.shipped_recovery): a move is
    # a lookup; with NAGVIZ_NO_SHIPPED=1 a preset's first visit fits for 0.5-2 s behind the
    # progress bar (notebook 02's prewarm cell does them all first)

    @classmethod
    def precompute(cls, progress=None) -> int:
        """Run (or read from the disk cache) every preset's experiment, as notebook 02's
        prewarm cell does; returns their number."""
        cls.prewarm(progress)
        return len(RECOVERY_PRESETS)

    def make_controls(self):
        import ipywidgets as w

        return {
            "architecture": w.Dropdown(options=[(p.label, k) for k, p in
                                                RECOVERY_PRESETS.items()],
                                       value="(5, 2, 1) z³", description="architecture",
                                       style=_STYLE, layout=w.Layout(width="420px")),
            "show_restarts": w.Checkbox(value=True, description="show every restart",
                                        style=_STYLE),
        }

    def defaults(self):
        return dict(architecture="(5, 2, 1) z³", show_restarts=True)

    def compute(self, architecture, show_restarts, progress=None):
        p = RECOVERY_PRESETS[architecture]
        res = _recovery(architecture, getattr(self, "cache_dir", None), progress)
        N = list(res.sample_sizes)
        fit_x, fit_y, miss_x, miss_y = [], [], [], []
        if show_restarts:
            for n, errs, losses in zip(N, res.restart_errors, res.restart_losses):
                k = len(errs)
                for i, (e, l) in enumerate(zip(errs, losses)):
                    x, y = n + 0.5 * ((i + 0.5) / k - 0.5), max(e, _ERROR_FLOOR)
                    if l < res.interpolation_tol:
                        fit_x.append(x)
                        fit_y.append(y)
                    else:
                        miss_x.append(x)
                        miss_y.append(y)
        floor = lambda a: [max(float(v), _ERROR_FLOOR) for v in a]  # noqa: E731
        return dict(key=architecture, label=p.label, widths=p.widths, r=p.r, N=N,
                    best_error=floor(res.best_error), regression_error=floor(res.regression_error),
                    restart_x=fit_x, restart_y=fit_y, failed_x=miss_x, failed_y=miss_y,
                    local_rank=res.local_rank.tolist(),
                    interpolating=res.interpolating.tolist(),
                    restarts_run=res.restarts_run.tolist(),
                    dimension=res.dimension, parameters=res.parameters,
                    ambient=res.ambient_dimension, transition=res.transition,
                    regression_samples=res.regression_samples,
                    recovery_tol=res.recovery_tol, seed=res.seed,
                    footer=(f"{res.method.upper()} least squares from up to {res.restarts} random "
                            f"starts per N; interpolating: training loss < "
                            f"{res.interpolation_tol:.0e}; recovered: error < "
                            f"{res.recovery_tol:.0e} on {res.n_test} fresh inputs; seed = "
                            f"{res.seed}; ranks exact modulo a prime"))

    def figure(self, data):
        N = data["N"]
        dim, par, amb = data["dimension"], data["parameters"], data["ambient"]
        lo, hi = _ERROR_FLOOR, 1e3

        def vline(x, name, color, dash, height):
            # the label sits in the empty band between "wrong" (~1) and "exact" (~1e-15),
            # on the side of the line with room for it
            side = "middle left" if x > 0.75 * N[-1] else "middle right"
            text = f"{name} = {x} " if side == "middle left" else f" {name} = {x}"
            return dict(type="scatter", x=[x, x, x], y=[lo, height, hi], mode="lines+text",
                        text=["", text, ""], textposition=side,
                        textfont=dict(color=color, size=15), name=f"{name} = {x}",
                        hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y",
                        line=dict(color=color, dash=dash, width=3 if name == "dim" else 2))

        traces = [
            dict(type="scatter", x=data["restart_x"] or [None], y=data["restart_y"] or [None],
                 mode="markers", name="restarts that fit the samples", hoverinfo="skip",
                 legendrank=3,
                 marker=dict(size=6, color=COLORS["path"], opacity=0.5)),
            dict(type="scatter", x=data["failed_x"] or [None], y=data["failed_y"] or [None],
                 mode="markers", name="restarts that do not (stuck)", legendrank=4,
                 hoverinfo="skip",
                 marker=dict(size=6, symbol="circle-open", color=COLORS["path"], opacity=0.6)),
            dict(type="scatter", x=N, y=data["regression_error"], mode="lines+markers",
                 name="polynomial regression", xaxis="x", yaxis="y", legendrank=2,
                 hovertemplate="N = %{x}: regression error %{y:.1e}<extra></extra>",
                 line=dict(color=COLORS["data"], dash="dash", width=2),
                 marker=dict(size=6, symbol="square", color=COLORS["data"])),
            dict(type="scatter", x=N, y=data["best_error"], mode="lines+markers",
                 name="kept student", xaxis="x", yaxis="y", legendrank=1,
                 hovertemplate="N = %{x}: student error %{y:.1e}<extra></extra>",
                 line=dict(color=COLORS["teacher"], width=3),
                 marker=dict(size=9, color=COLORS["teacher"])),
            vline(dim, "dim", COLORS["manifold"], "solid", 1e-5),
            vline(par, "parameters", "#555555", "dot", 1e-8),
            vline(amb, "ambient", "#555555", "dashdot", 1e-11),
            dict(type="scatter", x=N, y=[min(n, dim) for n in N], mode="lines",
                 name="min(N, dim)", xaxis="x2", yaxis="y2", hoverinfo="skip", legendrank=6,
                 line=dict(color=COLORS["neutral"], dash="dash", width=2)),
            dict(type="scatter", x=N, y=data["local_rank"], mode="markers",
                 name="Jacobian rank (exact)", xaxis="x2", yaxis="y2", legendrank=5,
                 hovertemplate="N = %{x}: rank %{y}<extra></extra>",
                 marker=dict(size=8, color=COLORS["manifold"])),
        ]
        t = data["transition"]
        verdict = f"recovered from N = {t}" if t is not None else "not recovered"
        return _figure(
            traces,
            title=_title(f"{data['widths']}, z<sup>{data['r']}</sup>: {verdict} (dim {dim})",
                         y=0.97),
            xaxis=dict(anchor="y", domain=[0, 1], showticklabels=False, matches="x2"),
            yaxis=dict(title=_title("relative error"), type="log", domain=[0.36, 1.0],
                       range=[-17.3, 3.4], dtick=4, exponentformat="power"),
            xaxis2=dict(title=_title("number of samples N"), anchor="y2", domain=[0, 1]),
            yaxis2=dict(title=_title("rank"), domain=[0.0, 0.27], rangemode="tozero"),
            legend=dict(orientation="h", x=0, y=-0.16, yanchor="top", font=dict(size=14)),
            margin=dict(l=90, r=20, t=60, b=160), height=720)

    def info(self, data):
        t, dim = data["transition"], data["dimension"]
        below = [n for n in data["N"] if n < dim]
        parts = [f"Dimension {dim}, {data['parameters']} parameters, ambient dimension "
                 f"{data['ambient']} (polynomial regression needs N = "
                 f"{data['regression_samples']})."]
        if t is not None:
            parts.append(f"The kept student is the teacher (error < {data['recovery_tol']:.0e}) "
                         f"from N = {t} on" + (" = dim." if t == dim else
                                               f" = dim + {t - dim}." if t > dim else "."))
        if below:
            parts.append(f"For N < {dim} the students fit the samples exactly yet are other "
                         "functions: the data leave a positive-dimensional family.")
        parts.append("The Jacobian rank is min(N, dim): each generic sample cuts one dimension "
                     "until none is left.")
        return " ".join(parts) + f"<br><small>{data['footer']}</small>"

    @classmethod
    def jobs(cls, presets=None, cache_dir=None):
        return [(len(RECOVERY_PRESETS[k].sample_sizes),
                 lambda p, k=k: _recovery(k, cache_dir, p)) for k in presets or RECOVERY_PRESETS]

    @classmethod
    def prewarm(cls, progress=None, **kwargs):
        """Run the experiment of every preset (each is cached in memory and on disk)."""
        return _run_jobs(cls.jobs(**kwargs), progress)


_PREWARM_PARTS = {"atlas": AtlasExplorer, "thresholds": DegreeThresholdExplorer,
                  "recovery": RecoveryExplorer}


def prewarm(progress=None, cache_dir=None, parts=tuple(_PREWARM_PARTS),
            families=("shallow",)) -> int:
    """Fill the caches behind the explorers of notebook 02; returns the work units done.

    Computes every threshold curve and recovery experiment the controls can ask for, and
    the atlases of ``families`` at every degree (``None``: every family, as a lecturer
    may want before class; by default the shallow family the atlas opens on, whose
    static fallback needs all of its degrees). About ten seconds on two cores the first
    time, a second when the disk cache is warm. Pass a ``progress(done, total)``
    callback, e.g. from :func:`tqdm_progress`; the other families are computed when the
    reader picks them, behind the explorer's own progress bar.

    Examples
    --------
    >>> prewarm(parts=("thresholds",), cache_dir=False)     # 11 patterns, r_max = 3..8
    363
    """
    jobs = []
    for part in parts:
        if part == "atlas":
            jobs += AtlasExplorer.jobs(families=families, cache_dir=cache_dir)
        else:
            jobs += _PREWARM_PARTS[part].jobs(cache_dir=cache_dir)
    return _run_jobs(jobs, progress)
