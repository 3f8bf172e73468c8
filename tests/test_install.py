"""Issue 15 item 5: a clean, non-editable install works.

The wheel is built from a copy of the repository (as ``pip install .`` builds it), its contents are
checked, and it is installed with ``pip install --no-deps --target``. ``tim demo`` then runs from
that directory in an interpreter that cannot see the editable install of the shared interpreter:
``-I`` (no PYTHONPATH, no cwd, no user site) and ``-S`` (no ``site``, so no ``.pth`` file installs
the editable finder), with an explicit ``sys.path`` of the target directory plus the third-party
site-packages. Anything the wheel lacks (a data file, the demo content, the map page) fails here
instead of being served quietly from a working tree.

Also: every third-party package that the code imports directly is declared in pyproject.toml.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
PACKAGES = ("cli", "config", "crawlers", "dedup", "demo", "exports", "feeds", "geo", "normalizers",
            "scheduler", "store")
# Files outside the packages that the wheel must never carry.
NOT_SHIPPED = re.compile(r"^tim/(tests|benchmarks|docs|\.ci|screenshots)/|\.db$|__pycache__|\.pyc$")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of a copy of the repository (working files only: no .git, caches or databases)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.pyc", "*.db", "*.db-wal", "*.db-shm", "*.egg-info", "build", "screenshots",
        ".pytest_cache", "*.parquet"))
    dist = base / "dist"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (whl,) = dist.glob("thuis_in_maastricht-*.whl")
    return whl


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"tim"}, tops
    assert not [n for n in names if NOT_SHIPPED.search(n)]
    for name in ("tim/__main__.py", "tim/pipeline.py", "tim/errors.py", "tim/records.py", "tim/progress.py",
                 *(f"tim/{p}/__init__.py" for p in PACKAGES)):
        assert name in names, name
    for folder, pattern in (("data", "*.geojson"), ("data", "*.csv"), ("demo/content", "*.json"),
                            ("feeds/static", "*")):
        expected = sorted(f"tim/{folder}/{p.name}" for p in (ROOT / folder).glob(pattern) if p.is_file())
        assert expected and set(expected) <= set(names), (folder, pattern, set(expected) - set(names))
    assert "tim/dedup/stopwords.txt" in names
    assert "tim/dedup/en_nl_lexicon.tsv" in names  # read at run time by dedup/variants.py
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert re.search(r"^\[console_scripts\]\s*\ntim = tim\.cli\.main:app$", text, re.M), text


CHILD = r"""
import importlib.metadata, json, sys
target, site_dirs, db = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
sys.path[:0] = [target]
sys.path += site_dirs
assert not [f for f in sys.meta_path if "editable" in repr(f).lower()], sys.meta_path
import tim
paths = list(tim.__path__)
(ep,) = importlib.metadata.entry_points(group="console_scripts", name="tim")
app = ep.load()
try:
    app(["demo", "--db", db, "--port", "0"], prog_name="tim")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
from fastapi.testclient import TestClient
from tim.feeds.app import create_app
from tim.store.db import make_engine
client = TestClient(create_app(make_engine(db)))
pages = {p: client.get(p).status_code for p in ("/", "/static/map.js", "/buurten.geojson", "/docs", "/redoc",
                                                "/static/docs/redoc.standalone.js")}
files = sorted({m.__file__ for n, m in list(sys.modules.items())
                if (n == "tim" or n.startswith("tim.")) and getattr(m, "__file__", None)})
print("RESULT " + json.dumps({"code": code, "paths": paths, "files": files, "pages": pages,
                              "dist": ep.dist.locate_file("").as_posix()}))
"""


def test_installed_wheel_runs_tim_demo_without_the_working_tree(wheel, tmp_path):
    target = tmp_path / "target"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                           "--target", str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site_dirs = [d for d in [*site.getsitepackages(), sysconfig.get_paths()["purelib"]] if Path(d).is_dir()]
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    run = subprocess.run([sys.executable, "-I", "-S", "-c", CHILD, str(target), json.dumps(site_dirs), db],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (line,) = [x for x in run.stdout.splitlines() if x.startswith("RESULT ")]
    result = json.loads(line[len("RESULT "):])
    assert result["code"] == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert result["paths"] == [str(target / "tim")]
    assert result["files"] and all(f.startswith(str(target / "tim") + "/") for f in result["files"]), result["files"]
    assert Path(result["dist"]).resolve() == target.resolve()
    assert set(result["pages"].values()) == {200}, result["pages"]
    found = re.search(r"(\d+) buurten with items; (\d+) bundled items from (\d+) source records", run.stdout)
    assert found, run.stdout[-3000:]
    buurten, bundled, records = map(int, found.groups())
    assert buurten >= 30 and records >= 100 and 0 < bundled <= records


# -- declared dependencies ----------------------------------------------------------------------

def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", "benchmarks", "build", ".git"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"tim", "__future__"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_directly_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_norm(re.split(r"[\s<>=!~\[;]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module in sorted(_imported_top_levels()):
        dists = {_norm(d) for d in providers.get(module, [])}
        assert dists, f"no installed distribution provides the imported module {module!r}"
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
