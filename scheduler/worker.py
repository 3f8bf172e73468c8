"""The child process of one source run: ``python -m tim.scheduler.worker SOURCE_ID --db URL --config PATH``.

It runs ``Pipeline.run_source`` once. The run records itself (``running`` -> ok / suspect /
not_modified / failed) in one transaction; the exit code tells the service whether it got that
far: 0 the run was recorded (whatever its status), 2 the config or database could not be opened.
A child killed for its deadline, or dying of a signal, leaves its run ``running`` and writes
nothing else; the service then records the failure (``scheduler.recording``).
"""

from __future__ import annotations

import argparse
import logging
import sys

from .logs import configure_logging, logfmt

log = logging.getLogger("tim.worker")

EXIT_RECORDED = 0
EXIT_SETUP = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tim.scheduler.worker", description=__doc__.splitlines()[0])
    parser.add_argument("source_id")
    parser.add_argument("--db", required=True, help="Database URL.")
    parser.add_argument("--config", required=True, help="Path to sources.toml.")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)

    from tim.config import load_config
    from tim.errors import TimError
    from tim.pipeline import Pipeline
    from tim.store.db import make_engine

    try:
        config = load_config(args.config)
        source = config.source(args.source_id)
        engine = make_engine(args.db)
    except TimError as exc:
        log.error(logfmt("worker_setup_failed", source=args.source_id, error=exc))
        return EXIT_SETUP
    Pipeline(config, engine).run_source(source)
    engine.dispose()
    return EXIT_RECORDED


if __name__ == "__main__":
    sys.exit(main())
