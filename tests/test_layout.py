"""One import namespace and one direction of imports (issue 15, items 1 and 2).

Everything is importable as ``tim.*``; nothing of ours is importable under a bare name such as
``config`` or ``store``; and the stages import one way, in data-flow order (the import-linter
contract in ``pyproject.toml``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
OURS = ("config", "crawlers", "normalizers", "geo", "dedup", "store", "exports", "feeds", "scheduler",
        "cli", "demo", "pipeline", "errors", "records", "processes")


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter whose working directory is not the repository."""
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)


def test_bare_names_are_not_importable_only_tim_is(tmp_path):
    code = (
        "import importlib.util, json\n"
        "import tim.cli.main, tim.pipeline, tim.feeds.app, tim.demo.sites\n"
        f"print(json.dumps([n for n in {OURS!r} if importlib.util.find_spec(n) is not None]))\n"
    )
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"importable under a bare name: {proc.stdout}"


def test_python_dash_m_tim_is_the_tim_script(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tim", "sources", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: tim sources" in proc.stdout


def _our_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in OURS]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in OURS:
                found.append(node.module)
    return found


def test_no_module_imports_a_bare_name():
    """Tests and benchmarks too: a bare ``from store import x`` works only by accident (the repository
    root on ``sys.path``) and would load a second copy of the module."""
    offenders = {}
    for path in ROOT.rglob("*.py"):
        if ".git" in path.parts or "__pycache__" in path.parts:
            continue
        bad = _our_imports(path)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_imports_run_in_data_flow_order(tmp_path):
    """The layers contract of import-linter (pyproject.toml) is kept: configuration does not import
    the crawlers, geo does not import the store, exports do not import the feeds, ..."""
    code = ("import sys\nfrom importlinter.cli import lint_imports\n"
            f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, "
            "no_logo=True))\n")
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 kept, 0 broken" in proc.stdout


def test_config_validates_kinds_without_the_crawlers(tmp_path):
    code = (
        "import sys\n"
        "from tim.config import load_config\n"
        "assert not any(m == 'tim.crawlers' or m.startswith('tim.crawlers.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('tim.crawlers'))\n"
        "from tim.config.sources import SOURCE_KINDS\n"
        "from tim.crawlers import REGISTRY\n"
        "assert set(REGISTRY) == set(SOURCE_KINDS)\n"
        "print('ok')\n"
    )
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
