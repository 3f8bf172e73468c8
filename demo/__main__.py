"""``python -m tim.demo``: serve the demo source sites in the foreground and print the base URL.

Useful to try ``tim sources test`` against them::

    python -m tim.demo --port 8765 --write-config demo-sources.toml
    TIM_CONFIG=demo-sources.toml tim sources test uitagenda
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from tim.demo.sites import build_demo_web, demo_config_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tim.demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="port (0 = any free port; default 8765)"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="date the event dates are relative to (YYYY-MM-DD; default today)",
    )
    parser.add_argument(
        "--write-config",
        type=Path,
        metavar="FILE",
        help="also write a sources.toml for these sites to FILE",
    )
    args = parser.parse_args(argv)

    web = build_demo_web(args.host, args.port, today=args.today).start()
    base = web.url("")
    print(base, flush=True)
    if args.write_config:
        args.write_config.write_text(demo_config_text(base), encoding="utf-8")
        print(f"sources.toml for the demo written to {args.write_config}", flush=True)
    print(f"demo sites at {base}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
