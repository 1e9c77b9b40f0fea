"""One cache for nagviz: memoization in memory and, for slow results, on disk.

Every slow function of the package is wrapped by :func:`memoize`, and every wrapped
function is registered here, so one :func:`clear_cache` (also ``nagviz.clear_cache``)
forgets everything.

* **In memory**, a bounded LRU per function (``maxsize`` entries): a slider that
  revisits a value answers at once.
* **On disk** (``disk=True``), one JSON file per call under
  ``<cache folder>/<name>/<version>/<hash>.json``. Never pickle: a cache file is data,
  and reading it cannot run code. The folder is :func:`cache_directory` of the call's
  ``cache_dir`` argument: ``.nagviz-cache`` in the working directory by default,
  ``$NAGVIZ_CACHE_DIR`` if set, nothing with ``cache_dir=False`` or
  ``NAGVIZ_NO_DISK_CACHE=1``.

The **key** of a call is the function's name and a canonical form of its arguments
(:func:`canonical`: defaults filled in, so ``f(x)`` and ``f(x, seed=0)`` agree; numpy
scalars, tuples and lists, fractions, activations and architectures written the same
way every time). An argument that has no canonical form (an array, a callable, an
arbitrary object) is refused with a ``TypeError`` naming it. On disk the key also
carries a **version derived from the code**: a hash of the source of the function's
module and of every module of the package it imports, directly or not (:func:`code_version`).
Editing the engine therefore invalidates what it computed; no constant is bumped by hand.

Reading never trusts the disk. A file that is not a regular file (a FIFO, a folder) is
not opened; an oversized, unreadable, truncated or corrupt one (including JSON nested
deeply enough to exhaust the recursion limit), one written for another key, or one
whose value the function's ``validate`` rejects, is ignored with a :class:`CacheWarning`
and recomputed (and the fresh value replaces it). Writing goes to a temporary file in
the same folder, renamed over the entry (:func:`os.replace`): a reader never sees half
a file, and concurrent writers, one file per key, never lose each other's entries. A
folder that cannot be written only means no disk cache: caching never makes a
computation fail.

Pure Python: no plotting, widget or numerical imports (numpy is recognised, not imported).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import json
import math
import os
import re
import stat
import sys
import threading
import warnings
import weakref
from collections import OrderedDict
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path, PurePath

__all__ = [
    "memoize",
    "clear_cache",
    "cache_directory",
    "canonical",
    "code_version",
    "CacheInfo",
    "CacheWarning",
    "MAX_FILE_BYTES",
]

#: Disk entries larger than this are refused (read) and not written.
MAX_FILE_BYTES = 8 * 2**20
_FORMAT = 1
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
_ENTRY = re.compile(r"^[0-9a-f]{64}\.json$")
_LEGACY = re.compile(r"^(dimensions|recovery)-v[0-9]+\.json$")  # written by nagviz <= 0.1
_MEMOS: "weakref.WeakSet[_Memo]" = weakref.WeakSet()


class CacheWarning(UserWarning):
    """A cache entry was ignored (unreadable, corrupt, stale or rejected) and recomputed."""


# ----------------------------------------------------------------------------------
# where
# ----------------------------------------------------------------------------------
def cache_directory(cache_dir=None) -> Path | None:
    """The folder of the on-disk cache, or ``None`` when disk caching is off.

    Parameters
    ----------
    cache_dir : str, Path, bool or None
        ``None`` or ``True``: ``$NAGVIZ_CACHE_DIR`` if set, else ``.nagviz-cache`` in the
        working directory. ``False``: no disk cache. A path: that folder.
        ``NAGVIZ_NO_DISK_CACHE=1`` turns the disk cache off whatever is passed.

    Examples
    --------
    >>> cache_directory(False) is None
    True
    >>> cache_directory("/tmp/my-cache") == Path("/tmp/my-cache") or cache_directory() is None
    True
    """
    if os.environ.get("NAGVIZ_NO_DISK_CACHE", "").strip() not in ("", "0"):
        return None
    if cache_dir is False:
        return None
    if cache_dir is None or cache_dir is True:
        cache_dir = os.environ.get("NAGVIZ_CACHE_DIR") or ".nagviz-cache"
    if not isinstance(cache_dir, (str, PurePath)):
        raise TypeError(f"cache_dir must be a path, True, False or None, got {cache_dir!r:.80}")
    return Path(cache_dir)


# ----------------------------------------------------------------------------------
# keys
# ----------------------------------------------------------------------------------
def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def canonical(value):
    """A JSON-able form of ``value`` that is the same for equal arguments, every run.

    Integers (numpy's too) stay integers, finite floats stay floats, tuples and lists
    become lists, fractions, complex numbers, non-finite floats, ranges, paths, enums,
    dicts and sets become one-key tagged dicts, sympy numbers and expressions their exact
    forms, and a frozen dataclass (an
    :class:`~nagviz.Architecture`, an :class:`~nagviz.Activation`) becomes its class
    name with its fields. Anything else (arrays, callables, mutable objects) raises
    ``TypeError``.

    Examples
    --------
    >>> import numpy as np
    >>> from nagviz import Architecture
    >>> canonical((np.int64(3), 2.5, [1, 2])) == canonical([3, 2.5, (1, 2)])
    True
    >>> canonical(Architecture((3, 2, 1), "z^2 + z/2"))   # doctest: +NORMALIZE_WHITESPACE
    {'nagviz.architecture.Architecture': {'widths': [3, 2, 1],
     'activation': {'nagviz.activation.Activation': {'coefficients':
     [{'Fraction': '0'}, {'Fraction': '1/2'}, {'Fraction': '1'}]}}, 'bias': False}}
    >>> canonical(np.zeros(2))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: cannot use array([0., 0.]) (a numpy.ndarray) in a cache key: pass numbers, ...
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return float(value)
        return {"float": repr(float(value))}
    if isinstance(value, Fraction):
        return {"Fraction": str(value)}
    if isinstance(value, complex):
        return {"complex": [canonical(value.real), canonical(value.imag)]}
    if isinstance(value, (tuple, list)):
        return [canonical(v) for v in value]
    if isinstance(value, range):
        return {"range": [value.start, value.stop, value.step]}
    if isinstance(value, PurePath):
        return {"Path": str(value)}
    if isinstance(value, Enum):
        return {"Enum": f"{type(value).__module__}.{type(value).__qualname__}.{value.name}"}
    if isinstance(value, dict):
        items = [[canonical(k), canonical(v)] for k, v in value.items()]
        return {"dict": sorted(items, key=lambda kv: json.dumps(kv[0], sort_keys=True))}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((canonical(v) for v in value),
                              key=lambda v: json.dumps(v, sort_keys=True))}
    module = type(value).__module__
    if module == "numpy" and hasattr(value, "item") and getattr(value, "ndim", None) == 0 \
            and type(value).__name__ != "ndarray":
        return canonical(value.item())  # a numpy scalar
    if module.startswith("sympy") and getattr(value, "is_Rational", False):
        return canonical(Fraction(int(value.p), int(value.q)))  # a sympy Integer or Rational
    if module.startswith("sympy") and hasattr(value, "free_symbols"):
        # any other sympy expression (immutable): its srepr names every symbol and assumption
        import sys
        return {"sympy": sys.modules["sympy"].srepr(value)}
    if is_dataclass(value) and not isinstance(value, type) \
            and type(value).__dataclass_params__.frozen:
        cls = type(value)
        return {f"{cls.__module__}.{cls.__qualname__}":
                {f.name: canonical(getattr(value, f.name)) for f in fields(value) if f.compare}}
    kind = f"{module}.{type(value).__qualname__}" if module != "builtins" \
        else type(value).__qualname__
    raise TypeError(f"cannot use {_short(value)} (a {kind}) in a cache key: pass numbers, "
                    "strings, tuples or frozen dataclasses")


# ----------------------------------------------------------------------------------
# versions
# ----------------------------------------------------------------------------------
_VERSIONS: dict[str, str] = {}
_VERSIONS_LOCK = threading.Lock()
_IMPORTS: dict[tuple, set] = {}  # (module, source) -> the modules it imports


_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\((?:[^)#]|#[^\n]*)*\)|[^\n#;]*)"
    r"|import[ \t]+([^\n#;]+))", re.MULTILINE)


def _imported_modules(name: str, source: bytes, is_package: bool) -> set[str]:
    """Absolute names of every module ``source`` imports (at any depth of the file).

    A scan of the lines that start with ``import`` or ``from ... import``, ten times
    faster than parsing the file; it may also pick up such a line inside a string, which
    only makes the version depend on one more module (never less safe).
    """
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for match in _IMPORT_LINE.finditer(source.decode("utf-8", "replace")):
        module, names, plain = match.groups()
        if plain is not None:
            out.update(part.split()[0] for part in plain.split(",") if part.split())
            continue
        try:
            base = importlib.util.resolve_name(module, package) if module.startswith(".") \
                else module
        except (ImportError, ValueError):
            continue
        if base:
            out.add(base)
            for part in re.sub(r"#[^\n]*", "", names).strip("()").replace("\\\n", " ").split(","):
                word = part.split()[0] if part.split() else ""
                if word.isidentifier():
                    out.add(f"{base}.{word}")  # maybe modules
    return out


def _source_file(name: str):
    """``(path, is_package)`` of the source of module ``name``, found without importing it.

    Looked up under the folder of its top-level package (already imported: the memoized
    function lives in it); ``None`` for a name that is not a module with Python source.
    """
    top, _, rest = name.partition(".")
    root = sys.modules.get(top)
    origin = getattr(root, "__file__", None)
    if not origin:
        return None
    origin = Path(origin)
    if not rest:
        return origin, origin.name == "__init__.py"
    if origin.name != "__init__.py":
        return None
    base = origin.parent.joinpath(*rest.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    return None


def code_version(module_name: str) -> str:
    """A hash of the source of ``module_name`` and of the package modules it imports.

    Follows ``import`` statements (also those inside functions) transitively, within
    the module's top-level package. Computed once per module and process.

    Examples
    --------
    >>> v = code_version("nagviz.atlas")
    >>> len(v), v == code_version("nagviz.atlas"), v != code_version("nagviz.cache")
    (16, True, True)
    """
    with _VERSIONS_LOCK:
        if module_name in _VERSIONS:
            return _VERSIONS[module_name]
    top = module_name.partition(".")[0]
    sources: dict[str, bytes] = {}
    todo = [module_name]
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        found = _source_file(name)
        if found is None:
            if name == module_name:
                sources[name] = b"<no source>"
            continue
        path, is_package = found
        try:
            source = path.read_bytes()
        except OSError:
            source = b"<unreadable>"
        sources[name] = source
        key = (name, source)
        if key not in _IMPORTS:  # each module parsed once per process, not once per version
            _IMPORTS[key] = _imported_modules(name, source, is_package)
        for dep in _IMPORTS[key]:
            if (dep == top or dep.startswith(top + ".")) and dep not in sources:
                todo.append(dep)
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name] + b"\0")
    version = digest.hexdigest()[:16]
    with _VERSIONS_LOCK:
        _VERSIONS[module_name] = version
    return version


# ----------------------------------------------------------------------------------
# the disk
# ----------------------------------------------------------------------------------
def _warn(path, why: str) -> None:
    warnings.warn(f"nagviz cache: ignored {path} ({why}); recomputing", CacheWarning,
                  stacklevel=5)  # the caller of the memoized function


def _read_json(path: Path):
    """The JSON content of ``path``; ``None`` if missing; raises ValueError if unusable."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ValueError(f"cannot stat it: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise ValueError(f"{info.st_size} bytes, more than {MAX_FILE_BYTES}")
    try:  # non-blocking: should a FIFO replace the file after the check, open still returns
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"cannot open it: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise ValueError(f"more than {MAX_FILE_BYTES} bytes")
            chunks.append(chunk)
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"not valid JSON: {str(exc)[:80]}") from None


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; every OSError is swallowed."""
    import tempfile

    if len(text) > MAX_FILE_BYTES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a cache is ordinary data
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _remove_entries(folder: Path, names=None) -> None:
    """Delete the cache files under ``folder/<name>/<version>/`` (nothing else).

    ``names``: only those functions' folders (default: every folder that looks like one).
    """
    try:
        name_dirs = [folder / n for n in names] if names is not None else list(folder.iterdir())
    except OSError:
        return
    for legacy in name_dirs if names is None else ():
        if _LEGACY.match(legacy.name) and not legacy.is_dir():
            try:
                legacy.unlink()
            except OSError:
                pass
    for name_dir in name_dirs:
        if not _NAME.match(name_dir.name) or name_dir.is_symlink() or not name_dir.is_dir():
            continue
        try:
            version_dirs = list(name_dir.iterdir())
        except OSError:
            continue
        for version_dir in version_dirs:
            if version_dir.is_symlink() or not version_dir.is_dir():
                continue
            try:
                entries = list(version_dir.iterdir())
            except OSError:
                continue
            for entry in entries:
                if _ENTRY.match(entry.name) or entry.name.startswith(".tmp-"):
                    try:
                        entry.unlink()
                    except OSError:
                        pass
            try:
                version_dir.rmdir()
            except OSError:
                pass
        try:
            name_dir.rmdir()
        except OSError:
            pass


# ----------------------------------------------------------------------------------
# memoize
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CacheInfo:
    """Counts of one memoized function since it was defined (or last cleared).

    Attributes
    ----------
    name : str
    hits, disk_hits, misses : int
        Calls answered from memory, from disk, and computed.
    discarded : int
        Disk entries ignored with a :class:`CacheWarning`.
    size, maxsize : int
        Entries in memory now, and the bound.
    disk : bool
        Whether results are also stored on disk.
    """

    name: str
    hits: int
    disk_hits: int
    misses: int
    discarded: int
    size: int
    maxsize: int
    disk: bool


_PLAIN = (int, str, bool, type(None))


def _tagged(value):
    """``value`` with its type, if it is built of ints, strings, floats and tuples only."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if kind is float:
        return (float, repr(value))       # keeps -0.0 and 0.0 apart, as canonical() does
    if kind is tuple:
        return (tuple, tuple(_tagged(v) for v in value))
    raise TypeError


def _fast_key(args, kwargs):
    """A hashable key for calls with plain arguments, else None (then the full key is built).

    Two calls with the same fast key have the same canonical key (types are kept, so
    ``1``, ``1.0`` and ``True`` stay apart); a repeated call is answered without binding
    the signature or writing JSON, about 2 us instead of 100.
    """
    try:
        return (tuple(_tagged(a) for a in args),
                tuple(sorted((k, _tagged(v)) for k, v in kwargs.items())))
    except TypeError:
        return None


class _Memo:
    """The state behind one memoized function."""

    def __init__(self, func, name, disk, maxsize, encode, decode, validate, ignore):
        self.func = func
        self.name = name
        self.disk = disk
        self.maxsize = maxsize
        self.encode = encode
        self.decode = decode
        self.validate = validate
        self.signature = inspect.signature(func)
        unknown = set(ignore) - set(self.signature.parameters)
        if unknown:
            raise ValueError(f"memoize: {func.__qualname__} has no parameter "
                             f"{', '.join(sorted(unknown))} to ignore")
        self.ignore = frozenset(ignore) | ({"cache_dir"} if disk else frozenset())
        self._version = None
        self.memory: OrderedDict = OrderedDict()
        self.fast: dict = {}      # plain hashable arguments -> text key (skips bind/canonical)
        self.lock = threading.Lock()
        self.hits = self.disk_hits = self.misses = self.discarded = 0

    # -- keys ---------------------------------------------------------------------
    @property
    def version(self) -> str:
        if self._version is None:
            self._version = code_version(self.func.__module__)
        return self._version

    @version.setter
    def version(self, value: str) -> None:
        self._version = str(value)

    def bind(self, args, kwargs):
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self.func.__qualname__}(): {exc}") from None
        bound.apply_defaults()
        key = {}
        for pname, value in bound.arguments.items():
            if pname in self.ignore:
                continue
            try:
                key[pname] = canonical(value)
            except TypeError as exc:
                raise TypeError(f"{self.func.__qualname__}(): argument {pname!r}: "
                                f"{exc}") from None
        return bound, key, json.dumps(key, sort_keys=True, separators=(",", ":"))

    def folder(self, bound) -> Path | None:
        if not self.disk:
            return None
        return cache_directory(bound.arguments.get("cache_dir"))

    def path(self, folder: Path, text_key: str) -> Path:
        digest = hashlib.sha256(f"{self.name}\0{self.version}\0{text_key}".encode()).hexdigest()
        return folder / self.name / self.version / f"{digest}.json"

    # -- memory -------------------------------------------------------------------
    def remember(self, text_key, value) -> None:
        if self.maxsize <= 0:
            return
        with self.lock:
            self.memory[text_key] = value
            self.memory.move_to_end(text_key)
            while len(self.memory) > self.maxsize:
                self.memory.popitem(last=False)

    def recall(self, text_key):
        with self.lock:
            if text_key in self.memory:
                self.memory.move_to_end(text_key)
                return True, self.memory[text_key]
        return False, None

    # -- disk ---------------------------------------------------------------------
    def load(self, folder, key, text_key, bound):
        """``(True, value)`` from a valid disk entry, else ``(False, None)``."""
        path = self.path(folder, text_key)
        try:
            record = _read_json(path)
            if record is None:
                return False, None
            if not isinstance(record, dict) or record.get("format") != _FORMAT:
                raise ValueError("not a nagviz cache record")
            if record.get("function") != self.name or record.get("version") != self.version \
                    or record.get("key") != key:
                raise ValueError("written for other arguments or another version")
            if "value" not in record:
                raise ValueError("no value")
            value = record["value"] if self.decode is None else self.decode(record["value"])
            if self.validate is not None and not self.validate(value, *bound.args,
                                                               **bound.kwargs):
                raise ValueError("its value failed validation")
        except RecursionError:
            why = "nested too deeply"
        except Exception as exc:  # a bad entry must never break a computation
            why = str(exc)[:200] or type(exc).__name__
        else:
            return True, value
        self.discarded += 1
        _warn(path, why)
        try:  # gone, so that it is reported once; the recomputed value takes its place
            os.unlink(path)
        except OSError:
            pass
        return False, None

    def store(self, folder, key, text_key, value) -> None:
        encoded = value if self.encode is None else self.encode(value)
        record = {"format": _FORMAT, "function": self.name, "version": self.version,
                  "key": key, "value": encoded}
        try:
            text = json.dumps(record, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"memoize({self.name!r}): the value is not JSON-able ({exc}); "
                            "give encode= and decode=") from None
        _write_text(self.path(folder, text_key), text)

    # -- calls ----------------------------------------------------------------------
    def lookup(self, args, kwargs):
        bound, key, text_key = self.bind(args, kwargs)
        hit, value = self.recall(text_key)
        if hit:
            return True, value
        folder = self.folder(bound)
        if folder is not None:
            hit, value = self.load(folder, key, text_key, bound)
            if hit:
                self.remember(text_key, value)
                return True, value
        return False, None

    def call(self, args, kwargs):
        fast = _fast_key(args, kwargs)
        if fast is not None:
            text_key = self.fast.get(fast)
            if text_key is not None:
                hit, value = self.recall(text_key)
                if hit:
                    self.hits += 1
                    return value
        bound, key, text_key = self.bind(args, kwargs)
        if fast is not None:
            if len(self.fast) >= 4 * self.maxsize + 64:
                self.fast.clear()
            self.fast[fast] = text_key
        hit, value = self.recall(text_key)
        if hit:
            self.hits += 1
            return value
        folder = self.folder(bound)
        if folder is not None:
            hit, value = self.load(folder, key, text_key, bound)
            if hit:
                self.disk_hits += 1
                self.remember(text_key, value)
                return value
        self.misses += 1
        value = self.func(*bound.args, **bound.kwargs)
        self.remember(text_key, value)
        if folder is not None:
            self.store(folder, key, text_key, value)
        return value

    def clear(self, disk: bool = False, cache_dir=None) -> None:
        with self.lock:
            self.memory.clear()
            self.fast.clear()
            self.hits = self.disk_hits = self.misses = self.discarded = 0
        if disk and self.disk:
            folder = cache_directory(cache_dir)
            if folder is not None:
                _remove_entries(folder, [self.name])

    def info(self) -> CacheInfo:
        return CacheInfo(self.name, self.hits, self.disk_hits, self.misses, self.discarded,
                         len(self.memory), self.maxsize, self.disk)


def memoize(name=None, *, disk: bool = False, maxsize: int = 128, encode=None, decode=None,
            validate=None, ignore=()):
    """Decorator: remember a function's results in memory (LRU) and optionally on disk.

    Parameters
    ----------
    name : str, optional
        The cache's name: the folder on disk and the first part of every key. Default:
        ``"<module>.<qualified name>"``. Letters, digits, ``_``, ``.`` and ``-``.
    disk : bool, default False
        Also store each result as a JSON file (see the module docstring). The call's
        ``cache_dir`` argument, if the function has one, picks the folder
        (:func:`cache_directory`) and is not part of the key.
    maxsize : int, default 128
        Most results kept in memory (least recently used go first); 0 keeps none.
    encode : callable, optional
        ``encode(value)`` -> a JSON-able object, for the disk (default: the value itself).
    decode : callable, optional
        ``decode(obj)`` -> the value, for what ``encode`` wrote.
    validate : callable, optional
        ``validate(value, *args, **kwargs)`` -> bool, run on every value read from disk,
        with the call's arguments (defaults filled in). A value it rejects (or on which
        it raises) is discarded with a :class:`CacheWarning` and recomputed.
    ignore : sequence of str
        Parameters left out of the key, such as a ``progress`` callback or a work limit.

    Returns
    -------
    callable
        The wrapped function, with ``cache_clear(disk=False, cache_dir=None)``,
        ``cache_info()`` (a :class:`CacheInfo`), ``cache_lookup(*args, **kwargs)``
        (``(True, value)`` if cached, else ``(False, None)``; computes nothing),
        ``cache_file(*args, **kwargs)`` (the disk entry's path, or ``None``),
        ``uncached`` (the original function, also ``__wrapped__``) and ``memo`` (the
        state; ``memo.version`` can be set, e.g. by tests).

    Examples
    --------
    >>> @memoize(maxsize=2)
    ... def square(x):
    ...     return x * x
    >>> square(3), square(3), square.cache_info().hits, square.cache_info().misses
    (9, 9, 1, 1)
    >>> square([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: can't multiply sequence by non-int of type 'list'
    >>> square(lambda: 1)    # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: square(): argument 'x': cannot use <function <lambda> at ...> (a function) ...
    """
    if callable(name):  # used bare: @memoize
        return memoize()(name)
    if name is not None and (not isinstance(name, str) or not _NAME.match(name)):
        raise ValueError(f"memoize: the name must be letters, digits, '_', '.' or '-', "
                         f"got {name!r:.60}")
    if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 0:
        raise ValueError(f"memoize: maxsize must be a non-negative integer, got {maxsize!r}")
    if isinstance(ignore, str):
        ignore = (ignore,)

    def decorate(func):
        memo_name = name or f"{func.__module__}.{func.__qualname__}".replace("<", "").replace(
            ">", "")
        if not _NAME.match(memo_name):
            raise ValueError(f"memoize: give {func.__qualname__} a plain name=")
        memo = _Memo(func, memo_name, bool(disk), maxsize, encode, decode, validate, ignore)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return memo.call(args, kwargs)

        def cache_file(*args, **kwargs):
            bound, _, text_key = memo.bind(args, kwargs)
            folder = memo.folder(bound)
            return None if folder is None else memo.path(folder, text_key)

        wrapper.memo = memo
        wrapper.uncached = func
        wrapper.cache_clear = memo.clear
        wrapper.cache_info = memo.info
        wrapper.cache_lookup = lambda *args, **kwargs: memo.lookup(args, kwargs)
        wrapper.cache_file = cache_file
        _MEMOS.add(memo)
        return wrapper

    return decorate


def clear_cache(disk: bool = False, cache_dir=None) -> None:
    """Forget every memoized result of nagviz, in memory (and on disk with ``disk=True``).

    With ``disk=True`` every cache file under ``cache_directory(cache_dir)`` goes, also
    those of functions not imported in this process; other files there are kept.

    Examples
    --------
    >>> import nagviz
    >>> nagviz.clear_cache()
    """
    for memo in list(_MEMOS):
        memo.clear()
    if disk:
        folder = cache_directory(cache_dir)
        if folder is not None:
            _remove_entries(folder)
