"""Monitoring sources: each turns one monitoring API's answer into normalized alerts.

A source type exists when it is registered in `SOURCE_TYPES`; the config refuses any other type, so a
documented but unbuilt type is an error at load time, never a poller that cannot start.
"""

from __future__ import annotations

from collections.abc import Callable

from noc_console.sources.alertmanager import AlertmanagerSource
from noc_console.sources.base import (
    PLANNED_SOURCE_TYPES,
    SYNTHETIC_SOURCE_TYPES,
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
    clean_text,
    get_json,
    get_json_answer,
)
from noc_console.sources.generic_json import JsonFields, JsonSource
from noc_console.sources.grafana import GrafanaSource
from noc_console.sources.http_check import HttpCheckSource
from noc_console.sources.icinga2 import Icinga2Source
from noc_console.sources.nagios import NagiosSource
from noc_console.sources.prometheus import PrometheusSource
from noc_console.sources.zabbix import ZabbixSource

SecretLookup = Callable[[str], str]


def _alertmanager(config: SourceConfig, secret: SecretLookup | None) -> Source:
    return AlertmanagerSource(config, _password(config, secret))


def _icinga2(config: SourceConfig, secret: SecretLookup | None) -> Source:
    return Icinga2Source(config, _password(config, secret))


def _nagios(config: SourceConfig, secret: SecretLookup | None) -> Source:
    return NagiosSource(config, _password(config, secret))


def _prometheus(config: SourceConfig, secret: SecretLookup | None) -> Source:
    return PrometheusSource(config, _password(config, secret))


def _zabbix(config: SourceConfig, secret: SecretLookup | None) -> Source:
    """An API token, or the password of `username` (always needed)."""
    return ZabbixSource(config, _credential(config, secret))


def _json(config: SourceConfig, secret: SecretLookup | None) -> Source:
    try:
        fields = JsonFields.of(dict(config.fields))
    except ValueError as exc:
        raise SourceError(config.name, str(exc)) from None
    return JsonSource(config, fields, _password(config, secret))


def _grafana(config: SourceConfig, secret: SecretLookup | None) -> Source:
    """Basic auth when the source names a user, else its service-account token (always needed)."""
    if config.username:
        return GrafanaSource(config, password=_password(config, secret))
    return GrafanaSource(config, token=_credential(config, secret))


def _http_check(config: SourceConfig, secret: SecretLookup | None) -> Source:
    """The credential of `username`, when it names one (a login step or basic auth sends it)."""
    if config.check is None:
        raise SourceError(config.name, "an http_check source needs its check settings")
    return HttpCheckSource(config, config.check, _password(config, secret))


# type -> factory(config, credential lookup)
_FACTORIES: dict[str, Callable[[SourceConfig, SecretLookup | None], Source]] = {
    "alertmanager": _alertmanager,
    "grafana": _grafana,
    "http_check": _http_check,
    "icinga2": _icinga2,
    "nagios": _nagios,
    "prometheus": _prometheus,
    "zabbix": _zabbix,
    "json": _json,
}
SOURCE_TYPES: tuple[str, ...] = tuple(_FACTORIES)

__all__ = [
    "PLANNED_SOURCE_TYPES",
    "SOURCE_TYPES",
    "SYNTHETIC_SOURCE_TYPES",
    "AlertmanagerSource",
    "GrafanaSource",
    "HttpCheckSource",
    "Icinga2Source",
    "JsonFields",
    "JsonSource",
    "NagiosSource",
    "PrometheusSource",
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
    "ZabbixSource",
    "clean_text",
    "get_json",
    "get_json_answer",
    "make_source",
]


def _password(config: SourceConfig, secret: SecretLookup | None) -> str | None:
    """The source's credential when it names a user; None when it needs none."""
    if not config.username:
        return None
    return _credential(config, secret)


def _credential(config: SourceConfig, secret: SecretLookup | None) -> str:
    if secret is None:
        raise SourceCredentialError(
            config.name, f"credential {config.credential_name!r} is needed but no lookup was given"
        )
    return secret(config.credential_name)


def make_source(config: SourceConfig, secret: SecretLookup | None) -> Source:
    """Build the source a config entry names; `secret` looks up its credential when it has a username.

    Raises SourceError (never anything else for a known failure), so the caller can keep that one source
    as failing and poll the others.
    """
    factory = _FACTORIES.get(config.type)
    if factory is None:
        raise SourceError(config.name, f"type {config.type!r} is not supported by this release")
    return factory(config, secret)
