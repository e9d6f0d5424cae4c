"""The store: SQLAlchemy models, migrations, the change feed, the lease and repository functions."""

from noc_console.store import repository
from noc_console.store.db import SchemaError, Store, StoreError, make_engine, migrate, open_store

__all__ = ["SchemaError", "Store", "StoreError", "make_engine", "migrate", "open_store", "repository"]
