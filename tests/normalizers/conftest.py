"""Fixtures of the normaliser tests: sources, raw records, the sample payloads in ``testdata/``
and a stand-in for ``normalizers.address`` (the geo team's parser) when a test must not depend
on it."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tim.config.sources import Source
from tim.records import RawRecord

TESTDATA = Path(__file__).parent / "testdata"


def make_source(source_id: str = "maastrichtdoet", item_kind: str = "vacancy") -> Source:
    # model_construct: the crawler registry is not needed to normalise.
    return Source.model_construct(
        id=source_id, kind="json", url="https://www.maastrichtdoet.nl/api", item_kind=item_kind
    )


def make_raw(
    fields: dict[str, Any],
    key: str | None = None,
    fetched_url: str = "https://www.maastrichtdoet.nl/api/vacatures?page=1",
    source_id: str = "maastrichtdoet",
) -> RawRecord:
    payload = {"key": key, "fields": fields}
    return RawRecord(source_id, key, fields, fetched_url, RawRecord.hash_payload(payload))


def norm(fields: dict[str, Any], **kwargs: Any):
    """``normalize(make_raw(fields, **kwargs), make_source())``."""
    from tim.normalizers import normalize

    return normalize(make_raw(fields, **kwargs), make_source())


def load_sample(name: str) -> tuple[RawRecord, Source, dict[str, Any]]:
    """A sample record from ``testdata/<name>``: the raw record, its source and what to expect.
    ``*_iso`` fields become naive ``datetime`` objects (as the iCal crawler yields them)."""
    data = json.loads((TESTDATA / name).read_text(encoding="utf-8"))
    fields = dict(data["raw"]["fields"])
    for field_name in [f for f in fields if f.endswith("_iso")]:
        fields[field_name[:-4]] = datetime.fromisoformat(fields.pop(field_name))
    raw = RawRecord(
        data["source"]["id"], data["raw"]["key"], fields, data["raw"]["fetched_url"],
        RawRecord.hash_payload(data["raw"]),
    )
    return raw, make_source(data["source"]["id"], data["source"]["item_kind"]), data


def sample_names() -> list[str]:
    return sorted(p.name for p in TESTDATA.glob("record_*.json"))


@dataclass(frozen=True)
class FakeParts:
    street: str | None = None
    housenumber: str | None = None
    postcode: str | None = None
    city: str | None = None
    in_area: bool | None = None


def _install_fake_address(monkeypatch) -> types.ModuleType:
    module = types.ModuleType("tim.normalizers.address")
    module.calls = []  # type: ignore[attr-defined]
    module.answers = {}  # type: ignore[attr-defined]

    def parse_address(text):
        module.calls.append(("parse_address", text))
        return module.answers.get(text, FakeParts())

    def find_address_in_text(text):
        module.calls.append(("find_address_in_text", text))
        for needle, parts in module.answers.items():
            if needle in text:
                return parts
        return None

    module.parse_address = parse_address  # type: ignore[attr-defined]
    module.find_address_in_text = find_address_in_text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tim.normalizers.address", module)
    return module


@pytest.fixture(autouse=True)
def fake_address(request, monkeypatch):
    """Every test here runs against a stub of ``normalizers.address`` (the geo team's parser,
    tested in its own suite) that answers from a dict and records its calls; a test that asks
    for ``real_address`` gets the real module instead."""
    if "real_address" in request.fixturenames:
        yield None
        return
    yield _install_fake_address(monkeypatch)


@pytest.fixture
def real_address():
    """The real ``normalizers.address``, or skip the test while it does not exist yet."""
    try:
        from tim.normalizers import address
    except ModuleNotFoundError:
        pytest.skip("normalizers/address.py (geo) not written yet")
    return address
