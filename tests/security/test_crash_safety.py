"""Issue 8 item 4, crash safety: a crawl killed with SIGKILL at 30+ random moments never leaves an
inconsistent store, and a re-run always ends in exactly the state of an uninterrupted run.

The demo sites (RSS, iCal, two JSON APIs, JSON-LD; ~100 records, a few seconds per crawl) are
served by one LocalWeb in this process. Each trial copies an empty SQLite database, starts a child
(``crashchild.run``: ``Pipeline.run``, forked from a warmed fork server), kills it with SIGKILL
after a seeded random delay of up to 1.1 times an uninterrupted crawl, checks the store
(``storecheck.consistency``: integrity check, no item without its finished source run, counts,
references), re-runs the crawl to the end and compares the raw export's content hash with that of
one uninterrupted run. Trials run three at a time. ``TIM_CRASH_TRIALS`` changes their number.

Defence: every write of a source's run (items, status changes, validators, the run row) is one
transaction (``Pipeline.run_source``), de-duplication is one more, SQLite runs in WAL mode
(``store.db.make_engine``), and ``store.runs.start_run`` marks a run left ``running`` by a dead
process ``interrupted``.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor

import pytest

from tim.config import Config
from tim.demo.sites import build_demo_web, demo_config_text
from tim.store.db import make_engine

from . import crashchild
from .storecheck import consistency, export_hash

TRIALS = int(os.environ.get("TIM_CRASH_TRIALS", "32"))
LANES = 3
SEED = 8


def _crawl(ctx, config_text: str, url: str, kill_after: float | None = None) -> tuple[bool, float]:
    """Run the crawl in a child; kill it after ``kill_after`` s (None: let it finish). Returns
    (whether it was still running when killed, seconds it ran)."""
    proc = ctx.Process(target=crashchild.run, args=(config_text, url), daemon=True)
    started = time.monotonic()
    proc.start()
    if kill_after is None:
        proc.join(120)
        assert proc.exitcode == 0, f"uninterrupted crawl ended with {proc.exitcode}"
        return False, time.monotonic() - started
    time.sleep(kill_after)
    alive = proc.is_alive()
    proc.kill()
    proc.join(10)
    return alive, time.monotonic() - started


@pytest.mark.slow
def test_sigkill_at_random_moments_never_corrupts_and_a_rerun_converges(tmp_path):
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.security.crashchild"])
    web = build_demo_web().start()
    try:
        text = demo_config_text(web.url(""), kinds={"rss", "ical", "json", "jsonld"})
        # two sources at a time: kills find runs in flight concurrently, and still land at
        # different stages of the crawl (with every source at once, all finish near the end)
        text = text.replace("[settings]\n", "[settings]\nmax_concurrency = 2\n", 1)
        ids = {s.id for s in Config.model_validate(tomllib.loads(text)).sources}
        template = tmp_path / "leeg.db"
        make_engine(f"sqlite:///{template}").dispose()

        def fresh(name: str) -> str:
            shutil.copy(template, tmp_path / name)
            return f"sqlite:///{tmp_path / name}"

        ref_url = fresh("ref.db")
        _crawl(ctx, text, ref_url)  # warms the fork server
        ref_url = fresh("ref.db")
        _, seconds = _crawl(ctx, text, ref_url)
        ref = make_engine(ref_url, create=False)
        ref_figures = consistency(ref, ids, may_run=False)
        reference = export_hash(ref, tmp_path / "ref")
        ref.dispose()
        assert ref_figures["runs"] == len(ids) and ref_figures["items"] >= 80, ref_figures

        rng = random.Random(SEED)
        delays = [rng.uniform(0.0, 1.1 * seconds) for _ in range(TRIALS)]  # some after the end, too

        def trial(n: int) -> tuple[bool, dict]:
            url = fresh(f"t{n}.db")
            alive, _ = _crawl(ctx, text, url, kill_after=delays[n])
            engine = make_engine(url, create=False)
            try:
                at_kill = consistency(engine, ids, may_run=Config.model_validate(tomllib.loads(text)).settings.max_concurrency)
                _crawl(ctx, text, url)  # the re-run, to the end
                consistency(engine, ids, may_run=False)
                (tmp_path / f"x{n}").mkdir()
                assert export_hash(engine, tmp_path / f"x{n}") == reference, f"trial {n} (killed at {delays[n]:.2f}s)"
            finally:
                engine.dispose()
            return alive, at_kill

        with ThreadPoolExecutor(LANES) as pool:
            results = list(pool.map(trial, range(TRIALS)))
    finally:
        web.stop()
    killed_mid_run = [at for alive, at in results if alive]
    stages = {at["runs"] for at in killed_mid_run}
    print(f"crawl {seconds:.2f}s; {TRIALS} kills, {len(killed_mid_run)} mid-run, "
          f"finished source runs at the kill: {sorted(at['runs'] for at in killed_mid_run)}")
    assert len(killed_mid_run) >= TRIALS * 3 // 4  # the kills landed inside crawls...
    assert len(stages) >= 3  # ...at different stages of them
