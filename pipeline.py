"""The pipeline: wires the stages for one source or all.

crawl (crawlers) -> normalise (normalizers) -> locate (geo) -> store (store.items) for each source,
then de-duplicate all active items (dedup via store.clusters). ``run`` crawls up to
``[settings] max_concurrency`` sources at once in worker threads (fetching, parsing, normalising
and locating each source in its own thread; hosts are still paced one request at a time by
``crawlers.pacing``); each source's run is stored in one transaction, one store at a time, and
the result is the same as crawling them one after another. A source's failure is caught,
logged with its id and recorded as a failed run; it never stops the other sources and never
touches their items. A run's items are written in one transaction, so a crash mid-run leaves
the database as it was before that run.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tim.config import Config, Source
from tim.errors import QualityError, RecordError, SourceError, TimError
from tim.progress import ProgressCallback, Tracker
from tim.records import Item, RawRecord, Replay

log = logging.getLogger("tim.pipeline")

#: Canonical item fields whose absence `tim sources test` reports.
PREVIEW_FIELDS = ("url", "description_text", "starts_at", "ends_at", "organizer", "address", "postcode",
                  "lat", "buurt_code")


@dataclass
class SourceReport:
    """What one run of one source did."""

    source_id: str
    run_id: int | None = None
    status: str = "running"
    """ok | not_modified | suspect | failed"""
    complete: bool = False
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    expired: int = 0
    error: str | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CrawlOutcome:
    """A source's crawl before storing: normalised, located items and what went wrong."""

    items: list[Item]
    fetched: int
    failed: int
    errors: list[str]
    not_modified: bool
    complete: bool
    seconds: dict[str, float] = field(default_factory=dict)
    """Time per stage of this crawl: wait (for a host's turn), fetch, parse, normalise, locate."""
    seen: list[str] = field(default_factory=list)
    """Ids of stored items met again unchanged, not normalised: records identical to what they
    were made from (same ``normalised_as``), and the items of pages that came back unchanged."""


def logfmt(event: str, **fields) -> str:
    """One structured log line: ``event key=value ...`` (values with spaces quoted)."""
    parts = [event]
    for k, v in fields.items():
        s = "" if v is None else str(v)
        if not s or any(c in s for c in ' "='):
            s = '"' + s.replace('"', '\\"') + '"'
        parts.append(f"{k}={s}")
    return " ".join(parts)


_CODE_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """Hash of what turns a raw record into a stored item: the code of the crawlers, normalisers
    and geo packages and the bundled data files. Computed once per process."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        from pathlib import Path

        import tim.crawlers
        import tim.geo
        import tim.normalizers
        from tim.normalizers.address import data_dir

        h = hashlib.sha1()
        files = [Path(__file__).with_name("records.py")]
        for pkg in (tim.crawlers, tim.normalizers, tim.geo):
            for d in pkg.__path__:
                files.extend(sorted(Path(d).rglob("*.py")))
        files.extend(sorted(p for p in data_dir().iterdir() if p.is_file()))
        for f in files:
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        _CODE_FINGERPRINT = h.hexdigest()
    return _CODE_FINGERPRINT


class SourceMemo:
    """What a source's stored items were made from, to skip the work for what did not change.

    ``normalised_as`` of an item = hash(raw hash, document URL, recipe); the recipe covers the
    code and data (:func:`code_fingerprint`), the source's settings and the locator's
    :attr:`~tim.geo.Locator.fingerprint`. A record whose value matches its stored item is that
    item again, unchanged: it is not normalised or located. A page that came back unchanged
    (``Replay``) stands for the items stored from it (``fetched_url``). The stored values are read
    at the first question (a source whose one document is not modified asks none), and so is
    the recipe (the source's settings as JSON, the locator's fingerprint)."""

    def __init__(self, engine: Engine, source: Source, locator):
        self.engine, self.source, self.locator = engine, source, locator
        self.online_geocoder = getattr(locator, "online", None) is not None
        self._stored: tuple[dict[str, str], dict[str, list[str]]] | None = None

    def _load(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        if self._stored is None:
            from tim.store.items import made_of

            with self.engine.connect() as conn:
                self._stored = made_of(conn, self.source.id)
        return self._stored

    @functools.cached_property
    def recipe(self) -> str:
        recipe = "\0".join([code_fingerprint(), self.source.model_dump_json(),
                            getattr(self.locator, "fingerprint", "")])
        return hashlib.sha1(recipe.encode()).hexdigest()

    def made_of(self, raw: RawRecord) -> str:
        return hashlib.sha1(f"{raw.raw_hash}\0{raw.fetched_url}\0{self.recipe}".encode()).hexdigest()

    def unchanged(self, raw: RawRecord) -> str | None:
        """The id of the stored item ``raw`` would make again, or ``None`` (normalise it)."""
        from tim.normalizers.item import item_id, source_key
        from tim.normalizers.urls import safe_http_url

        made = self._load()[0]
        if not made:
            return None
        try:
            key = source_key(raw, safe_http_url(raw.fetched_url) if raw.fetched_url else None)
        except Exception:  # noqa: BLE001  (the normaliser will say what is wrong with it)
            return None
        if not key:
            return None
        iid = item_id(self.source.id, key)
        return iid if made.get(iid) == self.made_of(raw) else None

    def stamp(self, item: Item, raw: RawRecord) -> None:
        """Set ``item.normalised_as``, unless its place may come out otherwise next time (an
        online geocoder that found nothing may find it later)."""
        if item.geo is None or (self.online_geocoder and item.geo.method == "none"):
            item.normalised_as = None
        else:
            item.normalised_as = self.made_of(raw)

    def page(self, url: str) -> list[str]:
        return self._load()[1].get(url, [])


class Pipeline:
    """Runs sources into the store. Build one per process; the geo locator is loaded once."""

    def __init__(self, config: Config, engine: Engine | None, locator=None):
        self.config = config
        self.engine = engine
        self._locator = locator
        self._reclusterer = None  # kept across dedup passes: later passes are incremental
        self._placements: dict[str, object] = {}
        self._placements_lock = threading.Lock()
        self._locator_lock = threading.Lock()
        self._store_lock = threading.Lock()  # one source's store transaction at a time
        self._stats_lock = threading.Lock()
        self._workers = None  # tim.processes.WorkerPool of [settings] processes, started on first use
        self._workers_lock = threading.Lock()
        self._worker_seconds: dict[int, dict[str, float]] = {}
        self.stage_seconds: Counter[str] = Counter()
        """Seconds per stage summed over every source run by this pipeline (worker threads add
        up): wait (for a host's turn, or for another source's store to finish), fetch, parse,
        normalise, locate, store (holding the store), dedup."""

    def placement(self, source: Source):
        """The source's location strategy (``area``/``venue``/``online``, see ``geo.strategy``);
        resolved once per source, a value that does not resolve fails the source."""
        with self._placements_lock:
            if source.id not in self._placements:
                from tim.geo.strategy import placement

                self._placements[source.id] = placement(self.locator, source)
            return self._placements[source.id]

    @property
    def locator(self):
        if self._locator is None:
            with self._locator_lock:
                if self._locator is None:
                    from tim.geo import Locator

                    self._locator = Locator.load(engine=self.engine, settings=self.config.geocoder)
        return self._locator

    def _add_seconds(self, seconds: dict[str, float]) -> None:
        with self._stats_lock:
            self.stage_seconds.update(seconds)

    # -- stages --------------------------------------------------------------------------
    def crawl(self, source: Source, *, validators=None, limit: int | None = None,
              on_record: Callable[[int], None] | None = None) -> CrawlOutcome:
        """Fetch, normalise and locate one source's records (no storing). Raises on source failure.

        ``on_record(1)`` is called for every record fetched (progress reporting)."""
        from tim.crawlers import REGISTRY
        from tim.crawlers.http import HttpClient
        from tim.normalizers import normalize

        self.placement(source)  # a bad area/venue fails the source before anything is fetched
        http = HttpClient(self.config.http_for(source), source, validators)
        items: list[Item] = []
        seen: list[str] = []
        errors: list[str] = []
        fetched = failed = 0
        seconds = {"normalise": 0.0, "locate": 0.0}
        started = time.monotonic()
        # with validators the run is stored: what did not change since then is not done again
        memo = SourceMemo(self.engine, source, self.locator) if (validators is not None and self.engine) else None
        try:
            crawler = REGISTRY[source.kind](source, http)
            for raw in crawler.crawl():
                if isinstance(raw, Replay):  # only after a conditional fetch, so only with a memo
                    ids = memo.page(raw.url) if memo is not None else []
                    seen.extend(ids)
                    fetched += len(ids) + raw.failed
                    if raw.failed:
                        failed += raw.failed
                        errors.append(f"source {source.id!r}: {raw.failed} record(s) of {raw.url} failed when it "
                                      "was last read; it is unchanged since")
                    if on_record is not None and ids:
                        on_record(len(ids))
                    continue
                fetched += 1
                if on_record is not None:
                    on_record(1)
                same = memo.unchanged(raw) if memo is not None else None
                if same is not None:
                    seen.append(same)
                    if limit is not None and fetched >= limit:
                        break
                    continue
                item = self._one(raw, source, errors, normalize, seconds)
                if item is None:
                    failed += 1
                    http.note_failure(raw.fetched_url)
                else:
                    if memo is not None:
                        memo.stamp(item, raw)
                    items.append(item)
                if limit is not None and fetched >= limit:
                    break
            # hand the validators to the store's buffer; they are written with the run's items
            http.commit_validators()
        finally:
            http.close()
            seconds["fetch"] = http.fetch_seconds
            seconds["wait"] = http.wait_seconds
            seconds["parse"] = max(0.0, time.monotonic() - started - sum(seconds.values()))
            self._add_seconds(seconds)
        for err in crawler.errors:
            failed += 1
            errors.append(str(err))
            log.warning(logfmt("record_failed", source=source.id, error=err))
        complete = crawler.complete and limit is None
        return CrawlOutcome(items, fetched, failed, errors, crawler.not_modified, complete, seconds, seen)

    def _one(self, raw: RawRecord, source: Source, errors: list[str], normalize,
             seconds: dict[str, float]) -> Item | None:
        t0 = time.monotonic()
        try:
            item = normalize(raw, source)
        except RecordError as exc:
            errors.append(str(exc))
            log.warning(logfmt("record_failed", source=source.id, key=raw.key, raw_hash=raw.raw_hash[:12], error=exc))
            return None
        except Exception as exc:  # noqa: BLE001  (a normaliser bug fails the record, not the source)
            msg = f"source {source.id!r} record {raw.key!r} (raw {raw.raw_hash[:12]}): {type(exc).__name__}: {exc}"
            errors.append(msg)
            log.error(logfmt("record_failed", source=source.id, key=raw.key, raw_hash=raw.raw_hash[:12],
                             error=f"{type(exc).__name__}: {exc}"))
            return None
        finally:
            seconds["normalise"] += time.monotonic() - t0
        if source.expected_kinds and item.kind not in source.expected_kinds:
            errors.append(f"source {source.id!r} record {item.source_key!r}: kind {item.kind!r} not in expected_kinds")
            return None
        t0 = time.monotonic()
        try:
            item.geo = self.placement(source).locate(item)
        except Exception as exc:  # noqa: BLE001  (keep the item, city-wide, and say why)
            log.error(logfmt("geo_failed", source=source.id, item=item.id, error=f"{type(exc).__name__}: {exc}"))
        finally:
            seconds["locate"] += time.monotonic() - t0
        return item

    # -- one source -----------------------------------------------------------------------
    def run_source(self, source: Source, *, run_id: int | None = None,
                   on_record: Callable[[int], None] | None = None) -> SourceReport:
        """Crawl one source and store its items; never raises for a source's own failure.

        ``run_id`` is a run row the caller already started (a queued run, ``tim worker``);
        ``on_record`` is called with the count of records fetched so far (progress)."""
        from tim.store.items import apply_run
        from tim.store.runs import finish_run, recent_fetch_counts, sharp_drop, start_run, update_source_state
        from tim.store.validators import DbValidatorStore

        assert self.engine is not None
        started = time.monotonic()
        report = SourceReport(source.id)
        report.run_id = run_id if run_id is not None else start_run(self.engine, source.id)
        validators = DbValidatorStore(self.engine, source.id)
        if log.isEnabledFor(logging.INFO):  # the line is built only when it is written
            log.info(logfmt("run_started", source=source.id, run=report.run_id))
        try:
            outcome = self.crawl(source, validators=validators, on_record=on_record)
        except Exception as exc:  # noqa: BLE001
            validators.forget()
            report.status = "failed"
            # the error names the source: a SourceError says it, anything else gets it in front
            report.error = (str(exc) if isinstance(exc, SourceError)
                            else f"source {source.id!r}: {type(exc).__name__}: {exc}")
            if not isinstance(exc, TimError):
                log.error(logfmt("source_crashed", source=source.id, run=report.run_id,
                                 trace=traceback.format_exc(limit=5)))
            return self._failed(report, started)

        report.fetched, report.failed, report.errors = outcome.fetched, outcome.failed, outcome.errors
        complete = outcome.complete and outcome.failed == 0
        status = "not_modified" if outcome.not_modified else "ok"
        reason = None
        asked = time.monotonic()
        with self._store_lock, self.engine.begin() as conn:
            store_started = time.monotonic()  # waiting for another source's store is "wait"
            self._add_seconds({"wait": store_started - asked})
            if not outcome.not_modified:
                if outcome.fetched < source.min_items:
                    reason = str(QualityError(source.id, f"{outcome.fetched} records, fewer than min_items={source.min_items}"))
                elif sharp_drop(outcome.fetched, recent_fetch_counts(conn, source.id)):
                    reason = f"source {source.id!r}: {outcome.fetched} records, a sharp drop against recent runs"
                if reason:
                    status, complete = "suspect", False
            counts = apply_run(
                conn, source.id, outcome.items, seen=outcome.seen, run_id=report.run_id, complete=complete,
                not_modified=outcome.not_modified, expire_after=self.config.scheduler.expire_after_missing_runs,
            )
            from tim.store.gemeenten import assign as assign_gemeente

            assign_gemeente(conn, source.id, source.gemeente)
            if status == "suspect":
                # Keep the validators of the last trusted body: storing those of a suspect body
                # would make the next run "not modified" and mark the source ok unseen.
                validators.forget()
            else:
                validators.flush(conn)
            report.inserted, report.updated, report.unchanged = counts.inserted, counts.updated, counts.unchanged
            report.expired = counts.expired
            if outcome.not_modified:
                report.fetched = counts.unchanged
            finish_run(conn, report.run_id, status=status, complete=complete, error=reason,
                       fetched=report.fetched, inserted=report.inserted, updated=report.updated,
                       unchanged=report.unchanged, failed=report.failed, expired=report.expired)
            update_source_state(conn, source.id, run_id=report.run_id, outcome=status, reason=reason,
                                new_items=counts.inserted + counts.reactivated)
        self._add_seconds({"store": time.monotonic() - store_started})
        report.status, report.complete, report.error = status, complete, reason
        report.seconds = time.monotonic() - started
        if log.isEnabledFor(logging.INFO):
            log.info(logfmt("run_finished", source=source.id, run=report.run_id, status=status,
                            fetched=report.fetched, inserted=report.inserted, updated=report.updated,
                            unchanged=report.unchanged, failed=report.failed, expired=report.expired,
                            seconds=f"{report.seconds:.2f}"))
        return report

    def _failed(self, report: SourceReport, started: float) -> SourceReport:
        """Store ``report`` (its ``error`` set) as the failed run of its source."""
        from tim.store.runs import finish_run, update_source_state

        report.status = "failed"
        with self._store_lock, self.engine.begin() as conn:
            finish_run(conn, report.run_id, status="failed", complete=False, error=report.error)
            update_source_state(conn, report.source_id, run_id=report.run_id, outcome="failed", reason=report.error)
        report.seconds = time.monotonic() - started
        log.error(logfmt("run_failed", source=report.source_id, run=report.run_id, error=report.error))
        return report

    # -- all sources ------------------------------------------------------------------------
    def sources(self, source_ids: list[str] | None = None) -> list[Source]:
        if source_ids:
            return [self.config.source(sid) for sid in source_ids]
        return [s for s in self.config.sources if s.enabled]

    def run(self, source_ids: list[str] | None = None, *, progress: ProgressCallback | None = None) -> list[SourceReport]:
        """Run the given sources (default: every enabled one), then de-duplicate.

        ``progress`` gets the events of task ``crawl`` (:mod:`tim.progress`): a step per source
        (its records as they are fetched; its status and counts when done; with several sources
        crawled at once their steps overlap), then phase ``dedup``."""
        sources = self.sources(source_ids)
        tracker = Tracker(progress, "crawl", total=len(sources), unit="sources").start()
        reports = self.run_sources(sources, tracker=tracker)
        tracker.phase("dedup")
        counts = self.dedup()
        tracker.finish(failed_sources=sum(r.status == "failed" for r in reports), **counts)
        return reports

    def run_sources(self, sources: list[Source], max_concurrency: int | None = None, *,
                    tracker: Tracker | None = None) -> list[SourceReport]:
        """Run ``sources`` (no dedup), up to ``max_concurrency`` at once (default
        ``[settings] max_concurrency``); reports come back in the order of ``sources``.
        ``tracker`` (task ``crawl``) gets a step per source."""

        pooled = len(sources) > 1 and self.start_workers()

        def run(src: Source, on_record=None) -> SourceReport:
            if pooled:
                return self._run_in_worker(src, on_record)
            return self.run_source(src, on_record=on_record)

        def one(src: Source) -> SourceReport:
            if tracker is None:
                return run(src)
            tracker.step(src.id)
            report = run(src, on_record=tracker.add_records if tracker.progress else None)
            tracker.step_done(current=src.id, status=report.status, fetched=report.fetched,
                              inserted=report.inserted, updated=report.updated, failed=report.failed,
                              seconds=f"{report.seconds:.2f}")
            return report

        if not pooled and any(s.kind == "html" for s in sources):
            _start_scrapy_service()  # its ~2 s of start-up overlap the other sources' crawls
        n = min(max_concurrency or self.config.settings.max_concurrency, len(sources))
        if n <= 1:
            return [one(src) for src in sources]
        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="tim-crawl") as pool:
            futures = [pool.submit(one, src) for src in sources]
            return [f.result() for f in futures]

    # -- worker processes ([settings] processes) ------------------------------------------
    def start_workers(self) -> bool:
        """Start the warm crawl processes of ``[settings] processes`` (once: later runs of this
        pipeline reuse them; each starts a Scrapy service of its own when the configuration has
        ``html`` sources); False when this pipeline crawls in its own process only (1 process,
        no store, or an in-memory SQLite database that other processes cannot open).

        Each worker process has a pipeline of its own: its own engine on the same database, its
        own locator (``Locator.load`` with the ``[geocoder]`` settings; a locator given to this
        pipeline stays here) and ``ceil(max_concurrency / processes)`` crawl threads. Hosts stay
        paced across all of them (``crawlers.pacing``' run directory, created before they start)."""
        n = self.config.settings.processes
        if n <= 1 or self.engine is None or self.engine.url.get_backend_name() == "sqlite" and \
                self.engine.url.database in (None, "", ":memory:"):
            return False
        with self._workers_lock:
            if self._workers is None:
                from tim.crawlers.pacing import PACER
                from tim.processes import WorkerPool

                PACER.directory  # noqa: B018  (exported in the environment the children inherit)
                threads = -(-self.config.settings.max_concurrency // n)
                url = self.engine.url.render_as_string(hide_password=False)
                pool = WorkerPool(n, threads, _crawl_worker, (self.config, url), name="tim-crawl-worker")
                pool.start()
                self._workers = pool
        return True

    @property
    def workers(self):
        """The :class:`tim.processes.WorkerPool` of the worker processes, or ``None``; its tasks are
        ``(source id, run id, report progress?)``."""
        return self._workers

    def close(self) -> None:
        """End the worker processes, if any (they also end with this process)."""
        with self._workers_lock:
            pool, self._workers = self._workers, None
        if pool is not None:
            pool.close()

    def _run_in_worker(self, source: Source, on_record: Callable[[int], None] | None) -> SourceReport:
        """``run_source`` in a worker process; a worker that dies fails only its own sources."""
        from tim.processes import TaskFailed, WorkerDied
        from tim.store.runs import run_outcome, start_run

        started = time.monotonic()
        run_id = start_run(self.engine, source.id)
        future = self._workers.submit((source.id, run_id, on_record is not None), on_note=on_record)
        try:
            report, pid, seconds = future.result()
        except (WorkerDied, TaskFailed) as exc:
            status, error = run_outcome(self.engine, run_id)
            log.error(logfmt("source_crashed", source=source.id, run=run_id, error=str(exc).splitlines()[0]))
            report = SourceReport(source.id, run_id=run_id)
            if status != "running":  # it ended after its run was stored: that run stands
                report.status, report.error = status, error
                report.seconds = time.monotonic() - started
                return report
            report.error = f"source {source.id!r}: {exc}"
            return self._failed(report, started)
        with self._stats_lock:  # the worker's totals so far; keep what is new
            last = self._worker_seconds.setdefault(pid, {})
            for k, v in seconds.items():
                if v > last.get(k, 0.0):
                    self.stage_seconds[k] += v - last.get(k, 0.0)
                    last[k] = v
        return report

    def dedup(self) -> dict:
        """Re-cluster all active items, rebuild the bundled items and the organisation directory."""
        from tim.store.clusters import Reclusterer, recluster
        from tim.store.organisations import rebuild_organisations

        priorities = {s.id: s.priority for s in self.config.sources}
        if self._reclusterer is None:
            self._reclusterer = Reclusterer(self.config.dedup)
        started = time.monotonic()
        with self._store_lock, self.engine.begin() as conn:
            counts = recluster(conn, self.config.dedup, priorities, self._reclusterer)
            counts.update(rebuild_organisations(conn))
        self._add_seconds({"dedup": time.monotonic() - started})
        log.info(logfmt("dedup_finished", **counts))
        return counts

    # -- operator dry run --------------------------------------------------------------------
    def preview(self, source: Source, limit: int | None = None) -> tuple[CrawlOutcome, dict[str, int]]:
        """Fetch and normalise one source without storing; count missing canonical fields."""
        outcome = self.crawl(source, validators=None, limit=limit)
        missing: Counter[str] = Counter()
        for item in outcome.items:
            for f in PREVIEW_FIELDS:
                value = item.geo.buurt_code if f == "buurt_code" and item.geo else getattr(item, f, None)
                if value in (None, "", []):
                    missing[f] += 1
        return outcome, {f: missing.get(f, 0) for f in PREVIEW_FIELDS}


def _start_scrapy_service() -> None:
    from tim.crawlers import scrapy_service

    try:
        scrapy_service.start()
    except OSError as exc:  # the html crawls will say what is wrong
        log.warning(logfmt("scrapy_service_not_started", error=exc))


class _RecordNotes:
    """A worker's progress: records counted here, notified to the parent at most every 0.2 s."""

    def __init__(self, notify: Callable[[int], None]):
        self.notify, self.n, self.at = notify, 0, time.monotonic()

    def add(self, n: int = 1) -> None:
        self.n += n
        if time.monotonic() - self.at >= 0.2:
            self.flush()

    def flush(self) -> None:
        if self.n:
            self.notify(self.n)
        self.n, self.at = 0, time.monotonic()


def _crawl_worker(config: Config, db_url: str):
    """``setup`` of a crawl worker process (:mod:`tim.processes`): a pipeline of its own, its geo
    data loaded; returns the handler of a task ``(source id, run id, report progress?)``, which
    gives back ``(SourceReport, pid, the worker's stage seconds so far)``."""
    import os

    from tim.store.db import make_engine

    pipe = Pipeline(config, make_engine(db_url))
    pipe.locator  # noqa: B018  (loaded before the first task, not during it)
    if any(s.kind == "html" and s.enabled for s in config.sources):
        _start_scrapy_service()  # this process's own, for its html sources

    def handle(task: tuple[str, int, bool], notify: Callable[[int], None]):
        source_id, run_id, progress = task
        notes = _RecordNotes(notify) if progress else None
        try:
            report = pipe.run_source(config.source(source_id), run_id=run_id,
                                     on_record=notes.add if notes is not None else None)
        finally:
            if notes is not None:
                notes.flush()
        with pipe._stats_lock:
            seconds = dict(pipe.stage_seconds)
        return report, os.getpid(), seconds

    return handle


def reassign(engine: Engine, locator, sources: list[Source] | None = None, *,
             progress: ProgressCallback | None = None, in_database: bool | None = None) -> int:
    """Recompute every stored item's place and buurt with ``locator`` (and each source's location
    strategy, when ``sources`` are given); return how many changed.

    On PostGIS (``in_database`` None: when available; False: never), the items placed by a point
    get their buurt in one SQL statement (:func:`tim.store.spatial.reassign_points`) when the
    locator's boundaries are an imported set; the others (text, source strategies) go through the
    chain below. ``progress`` gets the events of task ``reassign``, counted in items."""
    from tim.geo.strategy import placement
    from tim.store.clusters import item_dict
    from tim.store.items import item_to_row
    from tim.store.tables import ItemRow

    t = ItemRow.__table__
    changed = 0
    by_id = {s.id: s for s in sources or []}
    placements: dict[str, object] = {}
    with engine.begin() as conn:
        done: set[str] = set()
        if in_database is not False:
            from tim.store import spatial

            if spatial.enabled(conn) and spatial.boundary_version_stored(conn, locator.boundary_version):
                # source strategies and other gemeenten's sources: the chain (their own locators)
                placements.update({s.id: placement(locator, s) for s in sources or []})
                strategy = [sid for sid, p in placements.items() if p is not locator]
                done, changed = spatial.reassign_points(conn, locator.boundary_version, sources_not_in=strategy)
        rows = [r for r in conn.execute(select(t)).all() if r.id not in done]
        tracker = Tracker(progress, "reassign", total=len(rows) + len(done), unit="items").start()
        tracker.advance(len(done), records=len(done))
        for row in rows:
            tracker.advance(1, records=1)
            d = item_dict(row)
            item = Item(**{k: d.get(k) for k in (
                "id", "source_id", "kind", "title", "description_html", "description_text", "url", "organizer",
                "starts_at", "ends_at", "location_name", "address", "street", "housenumber", "postcode", "city",
                "categories", "image")}, source_key=row.source_key, content_hash=row.content_hash)
            item.lat, item.lon = row.source_lat, row.source_lon
            item.online = bool(row.online)
            if row.source_id not in placements:
                placements[row.source_id] = placement(locator, by_id.get(row.source_id))
            item.geo = placements[row.source_id].locate(item)
            new = item_to_row(item, row.last_seen, row.last_run_id)
            keys = ("buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "geo_matched",
                    "geo_conflict", "boundary_version", "lat", "lon")
            values = {k: new[k] for k in keys}
            if any(getattr(row, k) != values[k] for k in keys):
                conn.execute(update(t).where(t.c.id == row.id).values(**values))
                changed += 1
        from tim.store.gemeenten import reassign_all

        reassign_all(conn)
        if changed:
            from tim.store.clusters import touch_items

            touch_items(conn)  # geo moved without updated_at: the next dedup pass must run
    tracker.finish(changed=changed)
    return changed
