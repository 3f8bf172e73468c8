"""The Alembic migration environment of the TIM database (``env.py``, ``versions/``).

It lives inside the package so that an installed wheel carries its migrations. Operators use
``tim db upgrade | current | history``; the functions behind them are in :mod:`tim.store.schema`.
"""
