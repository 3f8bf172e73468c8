"""Issue 8 item 6 at full length: ``tim serve`` on SQLite (WAL) answering 4 readers for 60 s while
crawls write, and the figures: reads per second, latency percentiles, complete crawls, errors and
"database is locked" mentions (must be 0). Asserts nothing; exits 1 when anything failed.

    python benchmarks/security/concurrency.py [--seconds 60] [--readers 4]

The harness is ``tests/security/concurrent_use.py`` (the test runs it for 20 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=4)
    args = parser.parse_args()

    from tests.security.concurrent_use import run

    with tempfile.TemporaryDirectory(prefix="tim-concurrency-") as tmp:
        figures = run(args.seconds, Path(tmp), readers=args.readers)
    print(f"tim serve + crawl, {args.readers} readers, SQLite WAL")
    print(figures.summary())
    for error in figures.errors[:10]:
        print("  error:", error)
    return 1 if figures.errors or figures.locked else 0


if __name__ == "__main__":
    raise SystemExit(main())
