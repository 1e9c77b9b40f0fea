"""A shared ``repr`` for result objects that describe themselves as a few lines of text."""

from __future__ import annotations

import html

__all__ = ["LinesRepr"]


class LinesRepr:
    """Mixin: ``_lines()`` gives a title line and detail lines; text and HTML reprs follow.

    Examples
    --------
    >>> class Demo(LinesRepr):
    ...     def _lines(self):
    ...         return ["Demo result", "  value 1"]
    >>> Demo()
    Demo result
      value 1
    >>> Demo()._repr_html_()
    "<div class='nagviz-result'><b>Demo result</b><br>value 1</div>"
    """

    def _lines(self) -> list[str]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        lines = [html.escape(line) for line in self._lines()]
        return (f"<div class='nagviz-result'><b>{lines[0]}</b><br>"
                + "<br>".join(x.strip() for x in lines[1:]) + "</div>")
