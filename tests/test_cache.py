"""The one cache module: keys, versions, hostile files on disk, concurrency, clearing."""

from __future__ import annotations

import dataclasses
import importlib
import json
import multiprocessing
import os
import sys
import threading
import time
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import nagviz
import nagviz.cache as cache_mod
import nagviz.sweeps as sweeps_mod
from nagviz import Activation, Architecture
from nagviz.cache import (
    CacheWarning,
    cache_directory,
    canonical,
    clear_cache,
    code_version,
    memoize,
)
from nagviz.sweeps import cached_dimension, dimension_record_is_valid

REPO_ROOT = Path(__file__).resolve().parent.parent
CALLS: list = []


@memoize("test-square", disk=True, maxsize=4)
def square(x, offset=0, cache_dir=None):
    CALLS.append(x)
    return x * x + offset


@memoize(maxsize=3, ignore=("progress",))
def describe(arch, scale: float = 1.0, progress=None):
    CALLS.append(arch)
    if progress is not None:
        progress(1, 1)
    return (arch.n_parameters * scale, arch.widths)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE", raising=False)
    # the disk cache is under test: the shipped dimension table would answer before it
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    clear_cache()
    CALLS.clear()
    yield
    clear_cache()


# ----------------------------------------------------------------------------------
# memory: hits, misses, the bound
# ----------------------------------------------------------------------------------
def test_hits_misses_and_the_lru_bound():
    assert [square(x, cache_dir=False) for x in (1, 2, 1, 2)] == [1, 4, 1, 4]
    assert CALLS == [1, 2]
    info = square.cache_info()
    assert (info.hits, info.misses, info.size, info.maxsize) == (2, 2, 2, 4)
    for x in (3, 4, 5):      # 1 is now the least recently used of five: evicted
        square(x, cache_dir=False)
    assert square.cache_info().size == 4
    square(2, cache_dir=False)
    assert CALLS == [1, 2, 3, 4, 5]
    square(1, cache_dir=False)
    assert CALLS == [1, 2, 3, 4, 5, 1]
    assert square.uncached(7) == 49 and square.__wrapped__(7) == 49
    assert square.cache_info().misses == 6      # the original function bypasses the cache


def test_progress_is_not_part_of_the_key_and_results_are_any_object():
    arch = Architecture((3, 2, 1), 2)
    seen = []
    first = describe(arch, progress=lambda d, t: seen.append((d, t)))
    assert describe(arch, progress=print) is first and seen == [(1, 1)]
    assert describe.cache_lookup(arch) == (True, first)
    assert describe.cache_lookup(arch, 2.0) == (False, None) and len(CALLS) == 1


# ----------------------------------------------------------------------------------
# keys
# ----------------------------------------------------------------------------------
def test_equal_arguments_give_one_key():
    arch = Architecture((3, 2, 1), 2)
    same = [Architecture("3,2,1", 2), Architecture([np.int64(3), 2, 1], "z^2"),
            Architecture((3, 2, 1), Activation((Fraction(0), Fraction(0), Fraction(1))))]
    describe(arch)
    for other in same:
        describe(other)
        describe(other, 1.0)
        describe(arch=other, scale=np.float64(1.0))
    assert len(CALLS) == 1
    describe(Architecture((3, 2, 1), 2, bias=True))
    describe(Architecture((3, 2, 1), "z^2 + z"))
    describe(arch, 2.0)
    assert len(CALLS) == 4
    assert canonical((np.int64(2), [1.5, np.float32(0.5)])) == [2, [1.5, 0.5]]
    assert json.dumps(canonical(2)) != json.dumps(canonical(2.0))     # 2 and 2.0: two keys
    assert canonical(float("nan")) == {"float": "nan"}
    assert canonical({"b": 1, "a": (2,)}) == canonical({"a": [2], "b": 1})
    assert json.dumps(canonical(arch))   # JSON-able, and stable across runs:
    assert json.dumps(canonical(arch), sort_keys=True) == (
        '{"nagviz.architecture.Architecture": {"activation": {"nagviz.activation.Activation": '
        '{"coefficients": [{"Fraction": "0"}, {"Fraction": "0"}, {"Fraction": "1"}]}}, '
        '"bias": false, "widths": [3, 2, 1]}}')


@pytest.mark.parametrize("bad, kind", [
    (np.zeros(3), "numpy.ndarray"), (object(), "object"), (lambda: 0, "function"),
    (iter([1]), "list_iterator"), (dataclasses.make_dataclass("Loose", ["a"])(1), "Loose"),
])
def test_unknown_arguments_are_refused_at_call_time(bad, kind):
    with pytest.raises(TypeError, match=f"square\\(\\): argument 'x': cannot use .*{kind}") as e:
        square(bad, cache_dir=False)
    assert "\n" not in str(e.value) and len(str(e.value)) < 300
    assert CALLS == []


def test_bad_decorator_arguments():
    with pytest.raises(ValueError, match="name"):
        memoize("no spaces allowed")
    with pytest.raises(ValueError, match="maxsize"):
        memoize(maxsize=-1)
    with pytest.raises(ValueError, match="no parameter progress"):
        memoize(ignore=("progress",))(lambda x: x)
    with pytest.raises(TypeError, match="takes|missing"):
        square()


# ----------------------------------------------------------------------------------
# disk: round trip, versions
# ----------------------------------------------------------------------------------
def test_disk_round_trip_is_json_and_survives_a_new_process_memory(tmp_path):
    assert square(3, cache_dir=tmp_path) == 9
    path = square.cache_file(3, cache_dir=tmp_path)
    record = json.loads(path.read_text())
    assert record["value"] == 9 and record["key"] == {"x": 3, "offset": 0}
    assert path.parent.name == square.memo.version == code_version(__name__)
    square.cache_clear()                     # the memory only
    assert path.exists() and square(3, cache_dir=tmp_path) == 9 and CALLS == [3]
    assert square.cache_info().disk_hits == 1
    square.cache_clear(disk=True, cache_dir=tmp_path)
    assert not path.exists() and not (tmp_path / "test-square").exists()


def test_a_new_version_of_the_code_invalidates_the_disk(tmp_path, monkeypatch):
    square(3, cache_dir=tmp_path)
    old = square.cache_file(3, cache_dir=tmp_path)
    square.cache_clear()
    monkeypatch.setattr(square.memo, "_version", "0123456789abcdef")
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # an old version is not an error: just a miss
        assert square(3, cache_dir=tmp_path) == 9
    assert CALLS == [3, 3] and old.exists() and square.cache_file(3, cache_dir=tmp_path) != old
    # a record copied into the new version's place is still refused: it says its version
    new = square.cache_file(3, cache_dir=tmp_path)
    new.write_text(old.read_text())
    square.cache_clear()
    with pytest.warns(CacheWarning, match="another version"):
        assert square(3, cache_dir=tmp_path) == 9


def test_the_version_is_derived_from_the_source_of_the_module_and_its_imports(tmp_path,
                                                                               monkeypatch):
    pkg = tmp_path / "versionpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "front.py").write_text("from .engine import run\n")
    (pkg / "engine.py").write_text("def run():\n    from . import helper\n    return 1\n")
    (pkg / "helper.py").write_text("X = 1\n")
    (pkg / "unrelated.py").write_text("Y = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "versionpkg", importlib.import_module("versionpkg"))
    assert "versionpkg.front" not in sys.modules      # versions never import anything
    monkeypatch.setattr(cache_mod, "_VERSIONS", {})
    before = code_version("versionpkg.front")
    versions = []
    for name, text in (("unrelated", "Y = 2\n"), ("helper", "X = 2\n"),
                       ("engine", "def run():\n    from . import helper\n    return 2\n")):
        (pkg / f"{name}.py").write_text(text)
        monkeypatch.setattr(cache_mod, "_VERSIONS", {})
        versions.append(code_version("versionpkg.front"))
    assert versions[0] == before                       # not imported: no effect
    assert len({before, versions[1], versions[2]}) == 3   # imported, even lazily: new version
    assert "versionpkg.front" not in sys.modules
    assert code_version("nagviz.sweeps") != code_version("nagviz.cache")


# ----------------------------------------------------------------------------------
# hostile files
# ----------------------------------------------------------------------------------
def _entry(tmp_path, x=3):
    path = square.cache_file(x, cache_dir=tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("content, why", [
    ("{not json", "not valid JSON"),
    ('{"format": 1, "function": "test-square", "ver', "not valid JSON"),    # truncated
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    ("[1, 2, 3]", "not a nagviz cache record"),
    ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
])
def test_corrupt_entries_are_ignored_with_a_warning_and_healed(tmp_path, content, why):
    path = _entry(tmp_path)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    with pytest.warns(CacheWarning, match=why):
        assert square(3, cache_dir=tmp_path) == 9
    assert CALLS == [3] and json.loads(path.read_text())["value"] == 9   # replaced
    square.cache_clear()
    assert square(3, cache_dir=tmp_path) == 9 and CALLS == [3]


def test_a_fifo_at_the_entry_never_hangs(tmp_path):
    path = _entry(tmp_path)
    os.mkfifo(path)
    out = {}

    def call():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out["value"] = square(3, cache_dir=tmp_path)
            out["warnings"] = [str(w.message) for w in caught]

    worker = threading.Thread(target=call, daemon=True)
    start = time.perf_counter()
    worker.start()
    worker.join(timeout=1.0)
    assert not worker.is_alive(), "reading a FIFO in the cache hung"
    assert time.perf_counter() - start < 1.0
    assert out["value"] == 9 and any("not a regular file" in w for w in out["warnings"])


def test_a_folder_or_an_oversized_file_at_the_entry(tmp_path, monkeypatch):
    _entry(tmp_path).mkdir()
    with pytest.warns(CacheWarning, match="not a regular file"):
        assert square(3, cache_dir=tmp_path) == 9
    path = _entry(tmp_path, 4)
    path.write_text(json.dumps({"padding": "x" * 5000}))
    monkeypatch.setattr(cache_mod, "MAX_FILE_BYTES", 1000)
    with pytest.warns(CacheWarning, match="more than 1000"):
        assert square(4, cache_dir=tmp_path) == 16


def test_an_entry_of_other_arguments_is_refused(tmp_path):
    square(3, cache_dir=tmp_path)
    square.cache_clear()
    _entry(tmp_path, 5).write_text(square.cache_file(3, cache_dir=tmp_path).read_text())
    with pytest.warns(CacheWarning, match="other arguments"):
        assert square(5, cache_dir=tmp_path) == 25


def test_an_unwritable_folder_only_means_no_disk_cache(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert square(3, cache_dir=blocker / "cache") == 9
        square.cache_clear()
        assert square(3, cache_dir=blocker / "cache") == 9
    assert CALLS == [3, 3]


def test_validate_and_decode_guard_what_is_served(tmp_path):
    def positive(value, x, cache_dir=None):
        if value == "boom":
            raise RuntimeError("validator exploded")
        return value > 0

    @memoize("test-negate", disk=True, validate=positive, encode=lambda v: {"v": v},
             decode=lambda obj: obj["v"])
    def negate(x, cache_dir=None):
        CALLS.append(x)
        return -x

    assert negate(-2, cache_dir=tmp_path) == 2
    path = negate.cache_file(-2, cache_dir=tmp_path)
    assert json.loads(path.read_text())["value"] == {"v": 2}
    for edited, why in ((-7, "failed validation"), ("boom", "validator exploded"),
                        (None, "'NoneType' object is not subscriptable")):
        record = json.loads(path.read_text())
        record["value"] = {"v": edited} if edited is not None else None
        path.write_text(json.dumps(record))
        negate.cache_clear()
        with pytest.warns(CacheWarning, match=why):
            assert negate(-2, cache_dir=tmp_path) == 2
    assert CALLS == [-2] * 4 and negate.cache_info().discarded == 1


def test_values_that_are_not_json_need_an_encoder(tmp_path):
    @memoize("test-array", disk=True)
    def array(n, cache_dir=None):
        return np.arange(n)

    with pytest.raises(TypeError, match="not JSON-able.*encode="):
        array(3, cache_dir=tmp_path)
    np.testing.assert_array_equal(array(3, cache_dir=False), [0, 1, 2])


# ----------------------------------------------------------------------------------
# concurrent writers
# ----------------------------------------------------------------------------------
def _write_range(args):
    folder, start, stop = args
    for x in range(start, stop):
        square(x, cache_dir=folder)
    return stop - start


@pytest.mark.skipif(sys.platform != "linux", reason="uses fork")
def test_concurrent_writers_lose_nothing_and_leave_no_partial_files(tmp_path):
    folder = tmp_path / "shared"
    jobs = [(folder, 40 * k, 40 * k + 60) for k in range(4)]     # overlapping ranges
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert sum(pool.map(_write_range, jobs)) == 240
    threads = [threading.Thread(target=_write_range, args=((folder, 150 + 10 * k, 200),))
               for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    files = sorted(folder.rglob("*"))
    entries = [f for f in files if f.is_file()]
    assert not [f for f in entries if f.name.startswith(".tmp-")]
    assert len(entries) == 200
    for x in range(200):
        record = json.loads(square.cache_file(x, cache_dir=folder).read_text())
        assert record["value"] == x * x and record["key"]["x"] == x


# ----------------------------------------------------------------------------------
# dimension records are checked before they are served
# ----------------------------------------------------------------------------------
def _edit(path, **changes):
    record = json.loads(path.read_text())
    record["value"].update(changes)
    path.write_text(json.dumps(record))


@pytest.mark.parametrize("changes", [
    dict(dimension=999),                                        # beyond the expected
    dict(dimension=999, defect=-984, fiber=-979),               # ... consistently so
    dict(dimension=-1, defect=16, fiber=21),                    # negative
    dict(dimension=13, defect=2, fiber=7, ranks=[13]),          # certified, yet below
    dict(defect=0),                                             # inconsistent defect
    dict(filling=True),
    dict(parameters=21),
    dict(expected=14, defect=0),
    dict(widths=[3, 5, 2]),                                     # another architecture
    dict(ranks=[14, 99]),
    dict(dimension=14.0),
])
def test_an_edited_dimension_record_is_discarded_and_recomputed(tmp_path, changes):
    arch = Architecture((3, 5, 1), 4)                  # Clebsch: 14, expected 15
    truth = cached_dimension(arch, cache_dir=tmp_path)
    assert (truth.dimension, truth.expected_dimension, truth.certified) == (14, 15, False)
    path = sweeps_mod._dimension.cache_file(arch, 0, 2, cache_dir=tmp_path)
    _edit(path, **changes)
    clear_cache()
    with pytest.warns(CacheWarning):
        again = cached_dimension(arch, cache_dir=tmp_path)
    assert (again.dimension, again.defect, again.certified) == (14, 1, False)
    assert json.loads(path.read_text())["value"]["dimension"] == 14   # healed


def test_the_999_record_never_comes_back_certified(tmp_path):
    arch = Architecture((3, 3, 1), 2)                  # every ternary quadric: 6 = expected
    assert cached_dimension(arch, cache_dir=tmp_path).certified
    _edit(sweeps_mod._dimension.cache_file(arch, 0, 2, cache_dir=tmp_path), dimension=999)
    clear_cache()
    with pytest.warns(CacheWarning, match="failed validation"):
        r = cached_dimension(arch, cache_dir=tmp_path)
    assert (r.dimension, r.certified) == (6, True)
    assert not dimension_record_is_valid(dataclasses.replace(r, dimension=999), arch, 0, 2)
    assert not dimension_record_is_valid(r, arch, 1, 2)                # another seed


# ----------------------------------------------------------------------------------
# one clear for everything; where the cache lives
# ----------------------------------------------------------------------------------
def test_nagviz_clear_cache_clears_every_registered_function(tmp_path):
    assert nagviz.clear_cache is clear_cache
    arch = Architecture((2, 2, 1), 2)
    square(2, cache_dir=tmp_path)
    describe(arch)
    cached_dimension(arch, cache_dir=tmp_path)
    assert sweeps_mod._dimension.cache_info().size == 1
    nagviz.clear_cache()
    assert square.cache_info().size == describe.cache_info().size == 0
    assert sweeps_mod._dimension.cache_info().size == 0
    describe(arch)
    assert len(CALLS) == 3 and square.cache_file(2, cache_dir=tmp_path).exists()
    # disk=True removes the entries of every function, also of ones never imported here
    stranger = tmp_path / "some-other-function" / "0123456789abcdef" / (64 * "a" + ".json")
    stranger.parent.mkdir(parents=True)
    stranger.write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "dimensions-v1.json").write_text("{}")    # the one-file cache of old versions
    nagviz.clear_cache(disk=True, cache_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_cache_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("NAGVIZ_CACHE_DIR", raising=False)
    assert cache_directory() == Path(".nagviz-cache") == cache_directory(True)
    assert cache_directory(tmp_path) == tmp_path and cache_directory(False) is None
    monkeypatch.setenv("NAGVIZ_NO_DISK_CACHE", "1")
    assert cache_directory(tmp_path) is None
    with pytest.raises(TypeError, match="cache_dir must be a path"):
        monkeypatch.delenv("NAGVIZ_NO_DISK_CACHE")
        cache_directory(3)


def test_the_test_session_keeps_its_cache_out_of_the_working_tree():
    folder = os.environ.get("NAGVIZ_CACHE_DIR")
    assert folder, "conftest.py must point NAGVIZ_CACHE_DIR at a temporary folder"
    assert REPO_ROOT not in Path(folder).resolve().parents
    assert cache_directory() == Path(folder)


def test_bare_decorator_and_functions_without_arguments():
    made = []

    @memoize
    def table():
        made.append(1)
        return {"rows": [1, 2]}

    assert table() is table() and made == [1]
    assert table.memo.name.endswith("table") and table.cache_info().disk is False
    clear_cache()
    table()
    assert made == [1, 1]


def test_a_record_that_hides_its_certificate_is_discarded(tmp_path):
    arch = Architecture((3, 3, 1), 2)
    cached_dimension(arch, cache_dir=tmp_path)
    _edit(sweeps_mod._dimension.cache_file(arch, 0, 2, cache_dir=tmp_path), certified=False)
    clear_cache()
    with pytest.warns(CacheWarning, match="failed validation"):
        assert cached_dimension(arch, cache_dir=tmp_path).certified


def test_fast_path_keeps_types_apart_and_counts_hits():
    from nagviz.cache import memoize

    seen = []

    @memoize(name="test_fast_path_types", maxsize=8)
    def kind(x, y=(0,)):
        seen.append((type(x), x))
        return repr(x)

    assert [kind(1), kind(1.0), kind(True), kind(0.0), kind(-0.0)] == ["1", "1.0", "True", "0.0", "-0.0"]
    assert kind(1) == "1" and kind(1.0) == "1.0" and kind(-0.0) == "-0.0"
    assert kind(2, y=(1,)) == "2" and kind(2, (1,)) == "2"    # same canonical key, one miss
    assert len(seen) == 6
    assert kind.cache_info().hits == 4
    kind.cache_clear()
    kind(1)
    assert len(seen) == 7


def test_the_import_scan_finds_every_import_the_parser_finds():
    """code_version's line scan (fast) misses no import that Python's parser sees, in any
    nagviz module: a version can only depend on more modules, never on fewer."""
    import ast
    import importlib.util
    from pathlib import Path

    import nagviz
    from nagviz import cache

    root = Path(nagviz.__file__).parent
    for path in root.rglob("*.py"):
        parts = ("nagviz",) + path.relative_to(root).with_suffix("").parts
        is_package = path.name == "__init__.py"
        name = ".".join(parts[:-1] if is_package else parts)
        source = path.read_bytes()
        package = name if is_package else name.rpartition(".")[0]
        parsed = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                parsed.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""),
                                                   package) if node.level else node.module
                parsed.add(base)
                parsed.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
        assert parsed <= cache._imported_modules(name, source, is_package), name
