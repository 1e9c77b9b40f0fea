"""The Jupyter server of ``make lab`` (this folder is put on JUPYTER_CONFIG_PATH, so the
user's own configuration is read as well).

* It compresses what it sends: gzip responses (jupyterlab-plotly's 4.8 MB chunk travels
  as 1.45 MB) and permessage-deflate on the kernel WebSocket (widget states).
* It serves plotly's widget bundle, gzip-compressed, as a static file, and tells its
  kernels where (``NAGVIZ_PLOTLY_STATIC``): a page then loads the bundle from the server,
  cached by the browser, instead of asking its kernel (see
  ``nagviz/explorers/_plotly_widget.py``); saved notebooks reopened under this server
  draw their live figures without a kernel.
"""

import os
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir

c = get_config()  # noqa: F821 (defined by the config loader)
c.ServerApp.tornado_settings = {"compress_response": True}
c.ServerApp.websocket_compression_options = {}

try:
    from nagviz.explorers._plotly_widget import STATIC_ENV, shared_bundle_available, write_static_bundle
except ImportError:  # nagviz or its widget extras are not installed here
    pass
else:
    if shared_bundle_available():
        bundle = write_static_bundle(Path(jupyter_runtime_dir()) / "nagviz-static")
        c.ServerApp.extra_static_paths = [str(bundle.parent)]
        os.environ[STATIC_ENV] = "static/" + bundle.name  # kernels inherit the server's env
