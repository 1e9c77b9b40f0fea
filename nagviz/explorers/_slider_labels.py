"""The static slider's labels: plotly.js labels every step only when the widest label fits
the space per step, so :func:`labelled_steps` shrinks the font or thins the steps (keeping
the current one and the presets a prompt asks for) until every tick drawn has its label.
"""

from __future__ import annotations

__all__ = ["SLIDER_LEN", "SLIDER_LABEL_MIN", "label_width", "slider_label_stride",
           "labelled_steps", "legend_above_plot"]

SLIDER_LEN = 0.9
#: Smallest font (px) for the step labels of a static slider before steps are thinned.
SLIDER_LABEL_MIN = 14
# DejaVu Sans advances, in em, for the characters slider labels use; others count as wide.
_NARROW = dict.fromkeys("(),.: ilt-", 0.38)
_AVERAGE_EM = 0.64


def label_width(text: str, size: float) -> float:
    """Estimated width in px of ``text`` at font ``size`` (DejaVu Sans, a slight overestimate).

    Examples
    --------
    >>> round(label_width("(3, 3, 3)", 17))      # 6 narrow characters and 3 digits
    71
    """
    return size * sum(_NARROW.get(c, _AVERAGE_EM) for c in str(text))


def slider_label_stride(labels, size: float, width: float, margin_l: float = 70,
                        margin_r: float = 30) -> int:
    """Every how many steps plotly labels a slider: plotly.js labels every step only when
    the widest label (plus 8 px) fits the space per step (its ``findDimensions``).

    Examples
    --------
    >>> slider_label_stride(["1", "2", "3"], 17, 980)
    1
    >>> slider_label_stride(["a long label %d" % i for i in range(8)], 17, 980)
    2
    """
    labels = list(labels)
    if len(labels) < 2:
        return 1
    plot_width = max(width - margin_l - margin_r, 1)
    per_step = (plot_width * SLIDER_LEN - 2 * 10) / (len(labels) - 1)
    needed = max(label_width(t, size) for t in labels) + 8
    return max(1, -(-int(needed) // max(int(per_step), 1)))


def labelled_steps(steps, current, fig, keep=()):
    """Steps, active index and label font such that plotly labels every step it draws.

    Labels shrink from the layout font down to :data:`SLIDER_LABEL_MIN`; if they still do
    not fit a figure of the live width (:data:`nagviz.theme.FIGURE_WIDTH`), every k-th step
    is kept (always the current one and the indices in ``keep``, the presets a prompt
    asks for), so each tick shown carries its label. If no thinning fits, every step is
    kept: reaching a state matters more than labelling every tick.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> steps = [dict(label=f"a long label {i}") for i in range(12)]
    >>> kept, active, size = labelled_steps(steps, 4, go.Figure(layout=dict(width=700)), {11})
    >>> [s["label"][-2:].strip() for s in kept], kept[active]["label"], size
    (['1', '4', '7', '10', '11'], 'a long label 4', 14)
    """
    from ..theme import FIGURE_WIDTH, FONT_SIZE

    labels = [s["label"] for s in steps]
    width = fig.layout.width or FIGURE_WIDTH
    margin = fig.layout.margin
    l, r = (margin.l if margin.l is not None else 70), (margin.r if margin.r is not None else 30)
    size = int(fig.layout.font.size or FONT_SIZE)
    while size > SLIDER_LABEL_MIN and slider_label_stride(labels, size, width, l, r) > 1:
        size -= 1
    stride = slider_label_stride(labels, size, width, l, r)
    while 1 < stride <= len(steps):
        kept = [i for i in range(len(steps)) if (i - current) % stride == 0 or i in keep]
        labels = [steps[i]["label"] for i in kept]
        if slider_label_stride(labels, size, width, l, r) == 1:
            return [steps[i] for i in kept], kept.index(current), size
        stride += 1
    return steps, current, size


def legend_above_plot(fig):
    """A legend below the plot would sit on the static slider: put it above the plot.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(layout=dict(legend=dict(y=-0.2), margin=dict(t=60)))
    >>> legend_above_plot(fig)
    >>> fig.layout.legend.y, fig.layout.legend.yanchor, fig.layout.margin.t
    (1.02, 'bottom', 105)
    """
    legend = fig.layout.legend
    if legend.y is None or legend.y >= 0:
        return
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 70
    fig.update_layout(legend=dict(y=1.02, yanchor="bottom"), margin=dict(t=top + 45))


