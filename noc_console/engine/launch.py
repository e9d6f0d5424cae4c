"""How a console starts its own `noc-console poller` child: the command line and its environment."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

# The child stops by itself, cleanly, when this pipe from its parent closes (the parent died).
EXIT_WITH_PARENT = "--exit-with-parent"


@dataclass(frozen=True, slots=True)
class PollerCommand:
    """A poller child's argv and the variables to add to that one child's environment."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def poller_command(config_path: Path | None, db_url: str) -> PollerCommand:
    """`noc-console poller` for the same config and database, stopping when its parent goes away.

    A database URL with a password never goes on the command line (every user of the machine can read
    it with `ps`): it reaches that one child through its environment, and nowhere else.
    """
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "noc_console"]
    if config_path is not None:
        base += ["--config", str(config_path)]
    if make_url(db_url).password:
        return PollerCommand([*base, "poller", EXIT_WITH_PARENT], {"NOC_CONSOLE_DB": db_url})
    return PollerCommand([*base, "--db", db_url, "poller", EXIT_WITH_PARENT])
