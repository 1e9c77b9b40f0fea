"""Progress bars through ``tqdm``, fed by the ``progress(done, total)`` callbacks of nagviz.

Long computations (:func:`nagviz.experiments.prewarm`, the atlas, training runs) report
their progress to an optional callback ``progress(done, total)``; the mathematics never
imports a progress bar. :func:`tqdm_progress` turns such a callback into a ``tqdm`` bar
(a widget in Jupyter, text elsewhere), and :func:`advance` moves any ``tqdm`` bar to
``done`` of ``total`` (the explorers' in-figure bars use it too).
"""

from __future__ import annotations

import time
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
def tqdm_progress(description: str = "computing", delay: float = 0.5, interval: float = 0.2):
    """A ``progress(done, total)`` callback drawing a ``tqdm`` bar (a widget in Jupyter).

    The bar appears only if the work is still running after ``delay`` seconds (cached
    answers show nothing), and is redrawn at most every ``interval`` seconds: each redraw
    of the notebook bar is a widget message, and 150 of them took 0.8 s of a 0.2 s
    computation. A bar that was shown ends on the final count.

    Examples
    --------
    >>> with tqdm_progress("demo") as progress:
    ...     progress(0, 2); progress(2, 2)
    >>> with tqdm_progress("demo", delay=0.0, interval=0.0) as progress:
    ...     progress(0, 2); progress(1, 2)
    >>> progress.bar.n, progress.bar.total, progress.redraws
    (1, 2, 2)
    """
    from tqdm.auto import tqdm

    if not (delay >= 0 and interval >= 0):
        raise ValueError(f"delay and interval must be non-negative seconds, got {delay!r} "
                         f"and {interval!r}")
    bar = tqdm(total=1, desc=description, leave=True, mininterval=interval, delay=delay)
    start = time.monotonic()
    last = [0, 1]       # the latest (done, total)
    shown = [None]      # when the bar was last redrawn

    def callback(done, total):
        last[:] = [done, total]
        now = time.monotonic()
        if now - start < delay:
            return
        if shown[0] is not None and now - shown[0] < interval and done < total:
            return
        advance(bar, done, total)
        shown[0] = now
        callback.redraws += 1

    callback.bar, callback.redraws = bar, 0
    try:
        yield callback
    finally:
        if shown[0] is not None and (bar.n, bar.total) != (min(last[0], last[1]), last[1]):
            advance(bar, *last)
        bar.close()
