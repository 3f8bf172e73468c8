"""HTTP validators kept in the database (store.validators), on SQLite and PostgreSQL."""

from __future__ import annotations

from tim.records import Validators
from tim.store.db import make_engine
from tim.store.validators import DbValidatorStore


def _flush(engine, store: DbValidatorStore) -> None:
    with engine.begin() as conn:
        store.flush(conn)


def test_validators_are_saved_replaced_and_read_per_source(db_url):
    engine = make_engine(db_url)
    a = DbValidatorStore(engine, "a")
    assert a.get("https://a.test/1") is None and a.known() == {}
    many = {f"https://a.test/{i}": Validators(etag=f'"{i}"', body_hash=f"h{i}") for i in range(1203)}
    for url, v in many.items():
        a.put(url, v)
    a.put("https://a.test/feed", Validators(last_modified="Mon, 01 Jan 2030 00:00:00 GMT",
                                            meta={"next": "https://a.test/feed?p=2", "links": ["é"]}))
    assert a.get("https://a.test/7") == many["https://a.test/7"]  # buffered, not yet stored
    _flush(engine, a)
    b = DbValidatorStore(engine, "b")
    b.put("https://b.test/", Validators(etag='"b"'))
    _flush(engine, b)

    fresh = DbValidatorStore(engine, "a").known()
    assert fresh == {**many, "https://a.test/feed": Validators(
        last_modified="Mon, 01 Jan 2030 00:00:00 GMT", meta={"next": "https://a.test/feed?p=2", "links": ["é"]})}
    assert DbValidatorStore(engine, "b").known() == {"https://b.test/": Validators(etag='"b"')}

    # a later run replaces a URL's validators (in chunks of 500 URLs), keeps the others
    again = DbValidatorStore(engine, "a")
    for i in range(0, 1203, 2):
        again.put(f"https://a.test/{i}", Validators(etag=f'"{i}-2"'))
    _flush(engine, again)
    assert again.get("https://a.test/2") == Validators(etag='"2-2"')
    stored = DbValidatorStore(engine, "a").known()
    assert len(stored) == 1204
    assert stored["https://a.test/2"] == Validators(etag='"2-2"') and stored["https://a.test/3"] == many["https://a.test/3"]

    # a failed run forgets what it buffered
    failed = DbValidatorStore(engine, "a")
    failed.put("https://a.test/3", Validators(etag='"never"'))
    failed.forget()
    _flush(engine, failed)
    assert DbValidatorStore(engine, "a").get("https://a.test/3") == many["https://a.test/3"]
