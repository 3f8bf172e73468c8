"""Issue 15 item 3: progress of long work.

The stages report :class:`tim.progress.ProgressEvent` values through an optional callable (tested
here by collecting them); the CLI renders them as plain logfmt lines when stderr is not a
terminal (asserted line by line, on real subprocesses) and as rich's live display on a terminal
(the command run under a pseudo-terminal: the display's text appears, no logfmt line does).
"""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tim.config import load_config
from tim.demo.web import LocalWeb, Response
from tim.pipeline import Pipeline, reassign
from tim.progress import EVENTS, ProgressEvent, Tracker
from tim.store.db import make_engine

from .scheduler.sites import JsonSite, json_source, record, write_config

# one logfmt pair: key=bare or key="quoted \" string"
PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|[^\s"=]*)(?:\s+|$)')
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def parse_logfmt(line: str) -> dict[str, str]:
    """A strict logfmt parser: the whole line must be key=value pairs."""
    pos, out = 0, {}
    while pos < len(line):
        m = PAIR.match(line, pos)
        assert m and m.end() > pos, f"not logfmt at {pos}: {line!r}"
        value = m.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out[m.group(1)] = value
        pos = m.end()
    return out


@pytest.fixture
def world(tmp_path):
    """Two JSON sources on 127.0.0.1 (one good, one answering 500) and a config for them."""
    with LocalWeb() as web:
        good = JsonSite(web, "/good", [record(i) for i in range(4)])
        web.route("/broken", Response("kapot", status=500, content_type="text/plain"))
        cfg = write_config(tmp_path / "sources.toml", [json_source("good", good.url),
                                                       json_source("broken", web.url("/broken"))])
        yield cfg, f"sqlite:///{tmp_path / 'tim.db'}"


def _assert_crawl_sequence(kinds: list[tuple[str, object]], *, none: object) -> None:
    """A crawl of sources 'good' and 'broken': started, each source's step started before it
    finished (the two sources are crawled at once, so their steps may interleave), then dedup."""
    assert kinds[0] == ("started", none) and kinds[-2:] == [("phase", "dedup"), ("finished", none)]
    steps = kinds[1:-2]
    assert sorted(steps) == sorted([("step_started", "good"), ("step_finished", "good"),
                                    ("step_started", "broken"), ("step_finished", "broken")])
    for name in ("good", "broken"):
        assert steps.index(("step_started", name)) < steps.index(("step_finished", name))


def test_tracker_without_a_callback_does_nothing_and_with_one_reports_in_order():
    Tracker(None, "x", total=2).start()  # no callback: no error, nothing to do
    seen: list[ProgressEvent] = []
    t = Tracker(seen.append, "x", total=2, unit="files", interval=0).start(format="csv")
    t.step("a")
    t.add_records(3)
    t.step_done(rows=3)
    t.phase("tidy")
    t.finish(rows=3)
    assert [e.event for e in seen] == ["started", "step_started", "advanced", "step_finished", "phase", "finished"]
    assert {e.event for e in seen} <= set(EVENTS)
    assert seen[0].fields == {"format": "csv"} and seen[3].fields == {"rows": 3}
    assert (seen[3].done, seen[3].total, seen[3].records, seen[3].current) == (1, 2, 3, "a")
    assert seen[-1].current is None and seen[-1].elapsed >= seen[0].elapsed


def test_pipeline_reports_each_source_then_dedup(world):
    cfg, db = world
    config = load_config(cfg)
    engine = make_engine(db)
    events: list[ProgressEvent] = []
    reports = Pipeline(config, engine).run(progress=events.append)
    assert [r.status for r in reports] == ["ok", "failed"]
    _assert_crawl_sequence([(e.event, e.current) for e in events if e.event != "advanced"], none=None)
    assert all(e.task == "crawl" and e.total == 2 and e.unit == "sources" for e in events)
    finished = {e.current: e for e in events if e.event == "step_finished"}
    assert finished["good"].fields["status"] == "ok" and finished["good"].records == 4
    assert finished["broken"].fields["status"] == "failed"
    assert sorted(e.done for e in finished.values()) == [1, 2]
    assert events[-1].fields["failed_sources"] == 1 and events[-1].records == 4

    # reassign counts items
    seen: list[ProgressEvent] = []
    from tim.geo import Locator

    reassign(engine, Locator.load(engine=engine), progress=seen.append)
    assert seen[0].event == "started" and seen[0].total == 4 and seen[-1].event == "finished"
    assert seen[-1].done == 4 and "changed" in seen[-1].fields


def test_geo_import_reports_rows(tmp_path):
    from tim.geo.imports import import_postcodes

    csv_path = tmp_path / "pc6hnr.csv"
    csv_path.write_text("PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
                        "6211PG;38;09350002;093500;0935\n6211PG;40;09350002;093500;0935\n"
                        "1011AB;105;03630000;036300;0363\n", encoding="utf-8")
    events: list[ProgressEvent] = []
    import_postcodes(make_engine(f"sqlite:///{tmp_path / 'g.db'}"), csv_path, progress=events.append)
    assert events[0].event == "started" and events[0].fields == {"file": "pc6hnr.csv"}
    last = events[-1]
    assert (last.event, last.task, last.done, last.total, last.unit) == ("finished", "import-postcodes", 3, 3, "rows")
    assert last.records == 2 and last.fields == {"addresses": 2, "skipped": 1}


def _tim(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("TIM_PROGRESS", "TIM_DB", "TIM_CONFIG")}
    return subprocess.run([sys.executable, "-m", "tim", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env={**base, **(env or {})})


def _progress_lines(stderr: str) -> list[dict[str, str]]:
    return [parse_logfmt(line) for line in stderr.splitlines() if "msg=progress" in line]


def test_not_a_terminal_gives_plain_logfmt_lines(world, tmp_path):
    cfg, db = world
    proc = _tim("crawl", "--db", db, "--config", str(cfg), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # one source failed
    lines = _progress_lines(proc.stderr)
    _assert_crawl_sequence([(p["event"], p["current"]) for p in lines], none="")
    for p in lines:
        assert p["msg"] == "progress" and p["task"] == "crawl" and p["level"] == "info"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", p["time"])
        assert p["total"] == "2" and p["unit"] == "sources" and float(p["elapsed"]) >= 0
    good = next(p for p in lines if p["event"] == "step_finished" and p["current"] == "good")
    assert good["status"] == "ok" and good["records"] == "4" and good["done"] in ("1", "2")
    broken = next(p for p in lines if p["event"] == "step_finished" and p["current"] == "broken")
    assert broken["status"] == "failed" and lines[-1]["failed_sources"] == "1"
    assert "\x1b[" not in proc.stderr  # no terminal control codes
    assert "Runs per source" in proc.stdout and "msg=progress" not in proc.stdout

    # export to stdout: stdout is the CSV only, progress goes to stderr
    out = _tim("export", "--raw", "--format", "csv", "--db", db, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(list(csv.DictReader(io.StringIO(out.stdout)))) == 4
    ex = _progress_lines(out.stderr)
    assert [(p["event"], p["current"]) for p in ex] == [("started", ""), ("step_started", "stdout"),
                                                        ("step_finished", "stdout"), ("finished", "")]
    assert ex[-1]["rows"] == "4" and ex[-1]["task"] == "export" and ex[0]["format"] == "csv"

    reassigned = _tim("geo", "reassign", "--db", db, cwd=tmp_path)
    assert reassigned.returncode == 0, reassigned.stderr
    re_lines = _progress_lines(reassigned.stderr)
    assert re_lines[0]["event"] == "started" and re_lines[-1]["event"] == "finished"
    assert re_lines[-1]["task"] == "reassign" and re_lines[-1]["done"] == re_lines[-1]["total"] == "4"

    quiet = _tim("export", "--raw", "--format", "csv", "--db", db, cwd=tmp_path, env={"TIM_PROGRESS": "off"})
    assert quiet.returncode == 0 and "msg=progress" not in quiet.stderr


def _run_in_pty(argv: list[str], cwd: Path, env: dict, stdout=None) -> tuple[int, str]:
    """Run ``argv`` with stdin, stdout and stderr on a pseudo-terminal (or stdout to ``stdout``);
    return (code, screen text)."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=stdout or slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if not data and proc.poll() is not None:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(10)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_the_live_display(world, tmp_path):
    cfg, db = world
    env = {k: v for k, v in os.environ.items() if k not in ("TIM_PROGRESS", "TIM_DB", "TIM_CONFIG", "COLUMNS")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
    code, screen = _run_in_pty([sys.executable, "-m", "tim", "crawl", "--db", db, "--config", str(cfg)], tmp_path, env)
    assert code == 1, screen
    assert "msg=progress" not in screen and "event=" not in screen
    assert "\x1b[" in screen  # rich drew on the terminal
    text = ANSI.sub("", screen)
    final = [line for line in text.splitlines() if line.strip().startswith(("crawl", "⠋", "⠙", "⠹", "⠸", "⠼", "⠴",
                                                                          "⠦", "⠧", "⠇", "⠏")) and "2/2" in line]
    assert final, text
    assert any(re.search(r"crawl .*2/2 sources done 4 records \d+:\d\d:\d\d", line) for line in final), final
    assert "Runs per source" in text and "broken (failed):" in text

    # an export to stdout while stderr is a terminal: the display is drawn, the data goes untouched
    out = tmp_path / "export.csv"
    with out.open("wb") as fh:
        code, screen = _run_in_pty([sys.executable, "-m", "tim", "export", "--raw", "--format", "csv", "--db", db],
                                   tmp_path, env, stdout=fh)
    assert code == 0, screen
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 4 and {r["source_id"] for r in rows} == {"good"}
    assert "1/1 files" in ANSI.sub("", screen) and "source_id" not in screen
