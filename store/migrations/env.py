"""Alembic's environment for the TIM database.

Run through :mod:`tim.store.schema` (``tim db upgrade``), which hands over a connection that is
already inside one transaction holding the database's write lock (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL advisory lock): the whole upgrade commits or none of it does, and two processes never
migrate at once. The plain ``alembic`` command line works too (``-x url=...``), for developers.
"""

from __future__ import annotations

from alembic import context

from tim.store.schema import include_object, target_metadata

config = context.config


def _render_item(type_, obj, autogen_context):  # noqa: ANN001
    """Render SQLModel's column types as the plain SQLAlchemy types they are in the database."""
    if type_ == "type":
        name = type(obj).__name__
        if name == "AutoString":
            return f"sa.String(length={obj.length!r})" if obj.length else "sa.String()"
        if name == "UTCDateTime":
            return "sa.DateTime(timezone=True)"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        render_item=_render_item,
        transactional_ddl=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from tim.store.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url, create=False)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run `tim db upgrade` against the database")
run_migrations_online()
