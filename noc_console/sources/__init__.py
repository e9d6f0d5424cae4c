"""Monitoring sources: each turns one monitoring API's answer into normalized alerts."""

from __future__ import annotations

from collections.abc import Callable

from noc_console.sources.alertmanager import AlertmanagerSource
from noc_console.sources.base import (
    SOURCE_TYPES,
    Source,
    SourceAuthError,
    SourceConfig,
    SourceCredentialError,
    SourceError,
    SourceHTTPError,
    SourceInvalidJSON,
    SourceShapeError,
    SourceTimeout,
    SourceUnreachable,
    get_json,
)

__all__ = [
    "SOURCE_TYPES",
    "AlertmanagerSource",
    "Source",
    "SourceAuthError",
    "SourceConfig",
    "SourceCredentialError",
    "SourceError",
    "SourceHTTPError",
    "SourceInvalidJSON",
    "SourceShapeError",
    "SourceTimeout",
    "SourceUnreachable",
    "get_json",
    "make_source",
]


def make_source(config: SourceConfig, secret: Callable[[str], str] | None) -> Source:
    """Build the source a config entry names; `secret` looks up its credential when it has a username."""
    if config.type == "alertmanager":
        password: str | None = None
        if config.username:
            if secret is None:
                raise SourceCredentialError(
                    config.name, f"credential {config.credential_name!r} is needed but no lookup was given"
                )
            password = secret(config.credential_name)
        return AlertmanagerSource(config, password)
    raise ValueError(f"sources.type: {config.type!r} is not supported yet")
