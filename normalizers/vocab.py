"""Reading the vocabulary data files in ``data/`` (categories, kinds, date words).

The files are plain CSV with a header row; blank rows and rows whose first cell starts with
``#`` are skipped. Each is read once per process. A malformed file is a ``DataError`` naming the
file and the line: it is a deployment fault, not a fault of one record.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

from tim.errors import DataError


def data_dir() -> Path:
    """The project's ``data/`` folder (``TIM_DATA_DIR`` overrides it, as for ``geo``)."""
    env = os.environ.get("TIM_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=None)
def load_table(name: str, columns: tuple[str, ...]) -> tuple[tuple[int, dict[str, str]], ...]:
    """Rows of ``data/<name>`` as ``(line number, {column: value})``, values stripped.

    The header must hold every name in ``columns``; every row must have a non-empty value for
    each of them.
    """
    path = data_dir() / name
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(f"{path}:1: header lacks column(s) {', '.join(missing)}")
            rows = []
            for row in reader:
                line = reader.line_num
                first = next(iter(row.values()), "") or ""
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                if first.lstrip().startswith("#"):
                    continue
                values = {c: (row.get(c) or "").strip() for c in columns}
                empty = [c for c in columns if not values[c]]
                if empty:
                    raise DataError(f"{path}:{line}: empty value in column(s) {', '.join(empty)}")
                rows.append((line, values))
    except OSError as exc:
        raise DataError(f"{path}: cannot read vocabulary file: {exc}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: malformed CSV: {exc}") from exc
    return tuple(rows)
