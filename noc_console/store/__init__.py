"""The store: SQLAlchemy models, migrations, the change feed and repository functions."""

from noc_console.store import repository
from noc_console.store.db import Store, StoreError, make_engine, migrate, open_store

__all__ = ["Store", "StoreError", "make_engine", "migrate", "open_store", "repository"]
