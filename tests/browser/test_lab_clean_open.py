"""Opening a committed notebook in JupyterLab does not make it dirty.

A notebook whose metadata JupyterLab completes on open (kernelspec, language_info) turns
"dirty" at once: students get save prompts and merge conflicts on ``git pull``. The
committed notebooks carry the metadata a Python kernel reports, so opening one changes
nothing.
"""

from __future__ import annotations

import time

import pytest

from browser_harness import _FIND_PANEL, lab_open_notebook

pytestmark = pytest.mark.browser

NOTEBOOKS = ["notebooks/00_start_here.ipynb", "exercises/00_demo.ipynb"]


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_opening_a_notebook_leaves_it_clean(page, lab, relpath):
    pg, _ = page
    lab_open_notebook(pg, lab, relpath)
    time.sleep(2.0)  # let the kernel info arrive and be written into the model
    state = pg.evaluate(
        _FIND_PANEL + """(path) => {
          const panel = findPanel(path);
          return {dirty: panel.model.dirty,
                  language: panel.model.getMetadata('language_info'),
                  spec: panel.model.getMetadata('kernelspec')};
        }""", relpath)
    assert not state["dirty"], f"{relpath} turned dirty on open; its metadata became {state}"
