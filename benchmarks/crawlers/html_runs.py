"""What an ``html`` source run costs beyond its pages (issue #11): N crawls, one after another,
of the same local vacancy bank (3 listing pages, 8 detail pages, delay 0).

    python benchmarks/crawlers/html_runs.py [--runs 10]

Prints the first crawl's wall time (it starts the Scrapy service process, or, before it, a
subprocess), the mean of the others, and the CPU seconds of this process plus its children
(a child's CPU counts once it has been waited for, so the service is closed before the count).
No assertions: figures only. Works on trees before the service too (then every run is a fresh
subprocess), to compare.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.crawlers

from tests.crawlers.conftest import crawl, make_source  # noqa: E402
from tests.crawlers.sites import VACATURES, vacancy_bank  # noqa: E402

from tim.demo.web import LocalWeb  # noqa: E402


def cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with LocalWeb("127.0.0.61") as web:
        vacancy_bank(web)
        src = make_source(web.url("/vacatures"), "html", follow="a.vacature", next="li.next a",
                          fields={"title": "h1::text"}, http={"delay": 0.0})
        walls = []
        cpu = cpu_seconds()
        for _ in range(args.runs):
            t = time.monotonic()
            records, _ = crawl(src)
            walls.append(time.monotonic() - t)
            assert len(records) == len(VACATURES), len(records)
        try:
            from tim.crawlers import scrapy_service
        except ImportError:  # a tree before the service: its subprocesses are reaped already
            pass
        else:
            scrapy_service.close_all()
        cpu = cpu_seconds() - cpu
    rest = walls[1:] or walls
    print(f"runs={args.runs} first_s={walls[0]:.2f} rest_mean_s={sum(rest) / len(rest):.2f} "
          f"total_wall_s={sum(walls):.2f} cpu_s_incl_children={cpu:.2f}")


if __name__ == "__main__":
    main()
