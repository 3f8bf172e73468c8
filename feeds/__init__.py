"""The read-only HTTP side: bundled items per buurt as JSON, Atom, JSON Feed, GeoJSON and iCal,
the RPDE-style ``/changes`` feed, statistics and the map page. ``feeds.app.create_app`` builds it.
"""


def create_app(engine, config=None):
    """See :func:`feeds.app.create_app` (imported lazily, so that importing ``tim.feeds`` needs no FastAPI)."""
    from .app import create_app as _create

    return _create(engine, config)
