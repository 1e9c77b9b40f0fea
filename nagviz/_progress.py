"""Progress bars through ``tqdm``, fed by the ``progress(done, total)`` callbacks of nagviz.

Long computations (:func:`nagviz.experiments.prewarm`, the atlas, training runs) report
their progress to an optional callback ``progress(done, total)``; the mathematics never
imports a progress bar. :func:`tqdm_progress` turns such a callback into a ``tqdm`` bar
(a widget in Jupyter, text elsewhere), and :func:`advance` moves any ``tqdm`` bar to
``done`` of ``total`` (the explorers' in-figure bars use it too).
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["advance", "tqdm_progress"]


def advance(bar, done: int, total: int) -> None:
    """Show ``done`` of ``total`` on the ``tqdm`` bar ``bar`` (the total may change).

    Examples
    --------
    >>> from tqdm import tqdm
    >>> bar = tqdm(total=1, disable=True)
    >>> advance(bar, 3, 8); bar.n, bar.total
    (3, 8)
    """
    total = max(int(total), 1)
    if bar.total != total:
        bar.total = total
        container = getattr(bar, "container", None)  # the notebook bar's widget
        if container is not None:
            container.children[1].max = total
    bar.n = min(int(done), total)
    bar.refresh()


@contextmanager
def tqdm_progress(description: str = "computing"):
    """A ``progress(done, total)`` callback drawing a ``tqdm`` bar (a widget in Jupyter).

    Examples
    --------
    >>> with tqdm_progress("demo") as progress:
    ...     progress(0, 2); progress(2, 2)
    """
    from tqdm.auto import tqdm

    bar = tqdm(total=1, desc=description, leave=True, mininterval=0.2)

    def callback(done, total):
        advance(bar, done, total)

    try:
        yield callback
    finally:
        bar.close()
