"""The TOML configuration, validated into typed settings; every error names its field."""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from noc_console.config_heartbeat import HeartbeatConfig, HeartbeatConfigError, parse_heartbeat
from noc_console.config_paging import PagingConfig, PagingConfigError, parse_paging
from noc_console.domain.calls import valid_region
from noc_console.domain.correlation import DEFAULT_GROUP_BY, CorrelationRule, ServiceCatalog, ServiceDef
from noc_console.domain.flapping import DEFAULT_FLAP_THRESHOLD, DEFAULT_FLAP_WINDOW, FlapRule
from noc_console.domain.i18n import translate
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.synthetic import HttpCheck, parse_check
from noc_console.domain.writeback import WRITEBACK_TYPES
from noc_console.sources import PLANNED_SOURCE_TYPES, SOURCE_TYPES, JsonFields, SourceConfig

APP_NAME = "noc-console"
PAGING_SECTIONS = {"people", "schedules", "policies", "providers"}


class ConfigError(ValueError):
    """Invalid configuration or input. The message starts with the field it is about."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One scalar setting declared as data: the file, the docs and validation read this."""

    section: str
    name: str
    type: type
    default: float
    minimum: float
    maximum: float
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("sla", "ack_minutes", float, 5, 0.5, 1440, "Acknowledge an incident within this many minutes"),
    Setting("sla", "assessment_minutes", float, 15, 1, 1440, "Initial assessment within this many minutes"),
    Setting("sla", "customer_update_minutes", float, 30, 5, 1440, "Update customers at least this often"),
    Setting("sla", "postmortem_hours", float, 48, 1, 720, "Post-mortem due this long after resolution"),
    Setting("sla", "exec_report_hours", float, 72, 1, 720, "Executive report due this long after resolution"),
    Setting("correlation", "window_minutes", float, 10, 0.5, 1440, "Alerts of one group this close join"),
    Setting(
        "correlation",
        "flap_threshold",
        int,
        DEFAULT_FLAP_THRESHOLD,
        0,
        1000,
        "An alert that fires or clears more often than this within flap_window_min flaps (0: never)",
    ),
    Setting(
        "correlation",
        "flap_window_min",
        float,
        DEFAULT_FLAP_WINDOW.total_seconds() / 60,
        1,
        1440,
        "The window flapping is counted in; a flapping alert settles after this long without a change",
    ),
    Setting(
        "helpdesk", "retention_days", float, 365, 1, 3650, "Callers' names and numbers are kept this long"
    ),
    Setting(
        "store",
        "retention_days",
        float,
        400,
        7,
        36500,
        "Resolved incidents' cleared alerts and timelines, and the change feed, are kept this long",
    ),
)

SOURCE_NUMBERS: dict[str, tuple[float, float, float]] = {
    # name: (default, minimum, maximum)
    "interval_s": (10, 1, 3600),
    "timeout_s": (5, 0.2, 300),
    "resolve_after_missed": (2, 1, 100),
    "resolve_after_s": (180, 0, 86400),
}
# keys of an http_check source beyond the common ones (domain.synthetic.parse_check reads them)
CHECK_KEYS = (
    "steps", "method", "form", "json", "expect_status", "expect_body", "expect_regex", "latency_limit_ms",
    "severity", "service", "follow_redirects", "basic_auth",
)  # fmt: skip
SOURCE_FLAGS: dict[str, bool] = {
    # name: default
    "verify_tls": True,
    "silenced": False,
    "inhibited": False,
    "trust_env": False,
    "ack_writeback": False,
}


def _default_operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


@dataclass(frozen=True, slots=True)
class HelpdeskConfig:
    """Phone reports: the country of numbers typed without +country (empty: the system's locale, else
    every number must start with +), and how long callers' personal data is kept."""

    default_region: str = ""
    retention: timedelta = timedelta(days=365)

    @property
    def region(self) -> str:
        return self.default_region or _locale_region()


def _locale_region() -> str:
    import locale

    for value in (os.environ.get("LC_ALL"), os.environ.get("LC_TELEPHONE"), os.environ.get("LANG"),
                  locale.getlocale()[0]):  # fmt: skip
        if value and "_" in value:
            region = value.split("_", 1)[1][:2].upper()
            if valid_region(region):
                return region
    return ""


@dataclass(frozen=True, slots=True)
class ReceiverConfig:
    """The poller's endpoint for what vendors report back (a pressed 1, an acknowledge at PagerDuty)."""

    host: str
    port: int
    public_url: str | None = None  # how vendors reach it, when a proxy sits in front


def _receiver(data: Mapping[str, Any]) -> ReceiverConfig | None:
    table = _table(data, "receiver")
    if not table:
        return None
    for key in table:
        if key not in {"listen", "public_url"}:
            raise ConfigError(f"receiver.{key}: unknown setting (expected listen, public_url)")
    listen = table.get("listen")
    if not isinstance(listen, str) or ":" not in listen:
        raise ConfigError("receiver.listen: must be host:port, e.g. 127.0.0.1:9095")
    host, _, port_text = listen.rpartition(":")
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535 or not host:
        raise ConfigError(f"receiver.listen: {listen!r} is not host:port")
    public = table.get("public_url")
    if public is not None and (not isinstance(public, str) or not public.startswith(("http://", "https://"))):
        raise ConfigError("receiver.public_url: must be an http(s) URL")
    return ReceiverConfig(host.strip("[]"), int(port_text), public)


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None
    database_url: str | None = None
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    correlation: CorrelationRule = field(default_factory=CorrelationRule)
    sources: tuple[SourceConfig, ...] = ()
    catalog: ServiceCatalog = field(default_factory=ServiceCatalog)
    operator: str = field(default_factory=_default_operator)
    helpdesk: HelpdeskConfig = field(default_factory=HelpdeskConfig)
    paging: PagingConfig = field(default_factory=PagingConfig)
    receiver: ReceiverConfig | None = None
    heartbeat: HeartbeatConfig | None = None  # [heartbeat]: the dead man's switch (config_heartbeat)
    # [store] retention_days: what the poller prunes (store.retention); the metrics need a year.
    retention: timedelta = timedelta(days=400)


def default_config_path() -> Path:
    env = os.environ.get("NOC_CONSOLE_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_database_url() -> str:
    path = Path(platformdirs.user_data_dir(APP_NAME)) / "noc-console.db"
    return f"sqlite:///{path}"


def default_outbox_path() -> Path:
    """Calls saved on this desk while the database was away: $NOC_CONSOLE_OUTBOX, else the data dir."""
    env = os.environ.get("NOC_CONSOLE_OUTBOX")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME)) / "outbox.db"


def load_config(path: Path | None) -> Config:
    """Read and validate the config file; a missing default file means an empty configuration."""
    explicit = path is not None
    path = path or default_config_path()
    if not path.exists():
        if explicit:
            raise ConfigError(f"--config: {path} does not exist")
        return Config(path=None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"--config: cannot read {path} ({exc.strerror})") from None
    return parse_config(data, path)


def parse_config(data: Mapping[str, Any], path: Path | None = None) -> Config:
    known = {
        "database",
        "sla",
        "correlation",
        "sources",
        "services",
        "operator",
        "helpdesk",
        "store",
        "receiver",
        "heartbeat",
    } | PAGING_SECTIONS
    for key in data:
        if key not in known:
            raise ConfigError(f"{key}: unknown section (expected one of {', '.join(sorted(known))})")
    numbers = {s.section + "." + s.name: _number(data, s) for s in SETTINGS}
    database = _table(data, "database")
    url = database.get("url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise ConfigError("database.url: must be a non-empty string")
    if url is not None:
        _refuse_database_password(url)
    sla = SlaPolicy(
        ack=timedelta(minutes=numbers["sla.ack_minutes"]),
        assessment=timedelta(minutes=numbers["sla.assessment_minutes"]),
        customer_update=timedelta(minutes=numbers["sla.customer_update_minutes"]),
        postmortem=timedelta(hours=numbers["sla.postmortem_hours"]),
        exec_report=timedelta(hours=numbers["sla.exec_report_hours"]),
    )
    operator_table = _table(data, "operator")
    operator = operator_table.get("name", _default_operator())
    if not isinstance(operator, str) or not operator.strip():
        raise ConfigError("operator.name: must be a non-empty string")
    helpdesk_table = _table(data, "helpdesk")
    for key in helpdesk_table:
        if key not in {"default_region", "retention_days"}:
            raise ConfigError(f"helpdesk.{key}: unknown setting (expected default_region, retention_days)")
    region = helpdesk_table.get("default_region", "")
    if not isinstance(region, str) or (region and not valid_region(region)):
        raise ConfigError(
            f"helpdesk.default_region: {region!r} is not a two-letter country code (GB, US, DE …)"
        )
    for key in _table(data, "store"):
        if key != "retention_days":
            raise ConfigError(f"store.{key}: unknown setting (expected retention_days)")
    try:
        paging = parse_paging(data)
        heartbeat = parse_heartbeat(data)
    except (PagingConfigError, HeartbeatConfigError) as exc:
        raise ConfigError(str(exc)) from None
    return Config(
        path=path,
        database_url=url,
        sla=sla,
        correlation=CorrelationRule(
            window=timedelta(minutes=numbers["correlation.window_minutes"]),
            group_by=_group_by(data),
            flap=FlapRule(
                threshold=int(numbers["correlation.flap_threshold"]),
                window=timedelta(minutes=numbers["correlation.flap_window_min"]),
            ),
        ),
        sources=_sources(data.get("sources", [])),
        catalog=ServiceCatalog(_services(data.get("services", []))),
        operator=operator.strip(),
        paging=paging,
        receiver=_receiver(data),
        heartbeat=heartbeat,
        helpdesk=HelpdeskConfig(
            default_region=region.upper(), retention=timedelta(days=numbers["helpdesk.retention_days"])
        ),
        retention=timedelta(days=numbers["store.retention_days"]),
    )


CORRELATION_KEYS = ("window_minutes", "group_by", "flap_threshold", "flap_window_min")
MAX_GROUP_BY = 10


def _group_by(data: Mapping[str, Any]) -> tuple[str, ...]:
    """`[correlation] group_by`: a non-empty list of distinct label names ("service": the catalog's)."""
    table = _table(data, "correlation")
    for key in table:
        if key not in CORRELATION_KEYS:
            raise ConfigError(f"correlation.{key}: unknown setting (expected {', '.join(CORRELATION_KEYS)})")
    raw = table.get("group_by", list(DEFAULT_GROUP_BY))
    where = "correlation.group_by"
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f'{where}: must be a non-empty list of label names, e.g. ["service"]')
    if len(raw) > MAX_GROUP_BY:
        raise ConfigError(f"{where}: at most {MAX_GROUP_BY} labels, not {len(raw)}")
    names: list[str] = []
    for index, name in enumerate(raw):
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}[{index}]: must be a non-empty label name, not {name!r}")
        if name != name.strip() or not name.isprintable() or len(name) > 100:
            raise ConfigError(f"{where}[{index}]: {name!r} is not a label name (printable, no spaces around)")
        if name in names:
            raise ConfigError(f"{where}[{index}]: {name!r} is listed twice")
        names.append(name)
    return tuple(names)


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{name}: must be a table")
    return value


def _number(data: Mapping[str, Any], setting: Setting) -> float:
    table = _table(data, setting.section)
    value = table.get(setting.name, setting.default)
    field_name = f"{setting.section}.{setting.name}"
    if setting.type is int and not (isinstance(value, int) and not isinstance(value, bool)):
        raise ConfigError(f"{field_name}: must be a whole number, not {value!r}")
    return _bounded(field_name, value, setting.minimum, setting.maximum)


def _bounded(field_name: str, value: Any, minimum: float, maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{field_name}: must be a number, not {value!r}")
    if not minimum <= value <= maximum:
        raise ConfigError(f"{field_name}: must be between {minimum:g} and {maximum:g}, not {value:g}")
    return float(value)


def _sources(raw: Any) -> tuple[SourceConfig, ...]:
    if not isinstance(raw, list):
        raise ConfigError("sources: must be an array of tables ([[sources]])")
    seen: set[str] = set()
    result = []
    allowed = {
        "name", "type", "url", "urls", "username", "ca_file", "client_cert", "client_key", "service_label",
        "severity_label", "fields", "watchdog",
        *SOURCE_NUMBERS, *SOURCE_FLAGS, *CHECK_KEYS,
    }  # fmt: skip
    for index, entry in enumerate(raw):
        where = f"sources[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: must be a table")
        name = _text(entry, where, "name")
        where = f"sources[{index}] ({name})"
        for key in entry:
            if key in ("password", "token", "api_key", "secret"):
                raise ConfigError(
                    f"{where}.{key}: credentials never go in the config file; "
                    f"store it with `noc-console secret set source:{name}`"
                )
            if key not in allowed:
                raise ConfigError(f"{where}.{key}: unknown setting")
        if name in seen:
            raise ConfigError(f"{where}.name: {name!r} is used by another source")
        seen.add(name)
        kind = _text(entry, where, "type")
        if kind in PLANNED_SOURCE_TYPES:
            raise ConfigError(
                f"{where}.type: {kind!r} is not built in this release yet "
                f"(this release polls: {', '.join(SOURCE_TYPES)})"
            )
        if kind not in SOURCE_TYPES:
            raise ConfigError(f"{where}.type: {kind!r} is not one of {', '.join(SOURCE_TYPES)}")
        urls = _source_urls(entry, where, kind)
        url = urls[0]
        numbers = {
            key: _bounded(f"{where}.{key}", entry.get(key, default), low, high)
            for key, (default, low, high) in SOURCE_NUMBERS.items()
        }
        flags = {}
        for key, default in SOURCE_FLAGS.items():
            flags[key] = entry.get(key, default)
            if not isinstance(flags[key], bool):
                raise ConfigError(f"{where}.{key}: must be true or false")
        if flags["ack_writeback"] and kind not in WRITEBACK_TYPES:
            raise ConfigError(
                f"{where}.ack_writeback: a {kind} source cannot take acknowledges; "
                f"only {', '.join(sorted(WRITEBACK_TYPES))} can"
            )
        ca_file = entry.get("ca_file")
        if ca_file is not None and (not isinstance(ca_file, str) or not Path(ca_file).is_file()):
            raise ConfigError(f"{where}.ca_file: {ca_file!r} is not a readable file")
        client_cert, client_key = _client_certificate(entry, where, urls)
        username = entry.get("username")
        if username is not None and (not isinstance(username, str) or not username):
            raise ConfigError(f"{where}.username: must be a non-empty string")
        fields = _json_fields(entry, where, kind)
        check = _http_check(entry, where, kind, username)
        watchdog = entry.get("watchdog")
        if watchdog is not None and (not isinstance(watchdog, str) or not watchdog.strip()):
            raise ConfigError(f"{where}.watchdog: must be the name of an alert that always fires (Watchdog)")
        result.append(
            SourceConfig(
                name=name,
                type=kind,
                url=url,
                urls=urls if len(urls) > 1 else (),
                interval_s=numbers["interval_s"],
                timeout_s=numbers["timeout_s"],
                resolve_after_missed=int(numbers["resolve_after_missed"]),
                resolve_after_s=numbers["resolve_after_s"],
                username=username,
                ca_file=ca_file,
                client_cert=client_cert,
                client_key=client_key,
                verify_tls=flags["verify_tls"],
                silenced=flags["silenced"],
                inhibited=flags["inhibited"],
                trust_env=flags["trust_env"],
                ack_writeback=flags["ack_writeback"],
                service_label=_text(entry, where, "service_label", "service"),
                severity_label=_text(entry, where, "severity_label", "severity"),
                fields=fields,
                watchdog=watchdog.strip() if watchdog else None,
                check=check,
            )
        )
    return tuple(result)


def _client_certificate(
    entry: Mapping[str, Any], where: str, urls: Sequence[str]
) -> tuple[str | None, str | None]:
    """`client_cert` (PEM, with its key unless `client_key` names it): both readable, the key not
    encrypted and matching the certificate (checked here, not at the first poll), sent over https only."""
    cert, key = entry.get("client_cert"), entry.get("client_key")
    for field_name, value in (("client_cert", cert), ("client_key", key)):
        if value is not None and (not isinstance(value, str) or not Path(value).is_file()):
            raise ConfigError(f"{where}.{field_name}: {value!r} is not a readable file")
    if cert is None:
        if key is not None:
            raise ConfigError(f"{where}.client_key: needs client_cert, the certificate it belongs to")
        return None, None
    plain = [url for url in urls if not url.lower().startswith("https://")]
    if plain:
        raise ConfigError(f"{where}.client_cert: a certificate is sent over https only, not to {plain[0]}")
    import ssl

    try:
        ssl.create_default_context().load_cert_chain(cert, key, password=lambda: b"")
    except (ssl.SSLError, OSError) as exc:
        field_name = "client_key" if key is not None else "client_cert"
        raise ConfigError(
            f"{where}.{field_name}: cannot be used ({exc.strerror or exc}): give a PEM certificate and its "
            "unencrypted key, in one file or with client_key"
        ) from None
    return cert, key


def _source_urls(entry: Mapping[str, Any], where: str, kind: str) -> tuple[str, ...]:
    """The source's URL, or the URLs of the members of an Alertmanager HA pair (`urls`): exactly one
    of `url` and `urls`, every URL http(s) without a password, the members distinct."""
    if "url" in entry and "urls" in entry:
        raise ConfigError(f"{where}.urls: give either url or urls, not both")
    if "urls" not in entry:
        return (_checked_url(_text(entry, where, "url"), f"{where}.url"),)
    if kind != "alertmanager":
        raise ConfigError(f"{where}.urls: only an alertmanager source takes several URLs (an HA pair)")
    raw = entry["urls"]
    if not isinstance(raw, list) or len(raw) < 2:
        raise ConfigError(f"{where}.urls: must be a list of at least 2 URLs, one per member of the HA pair")
    urls: list[str] = []
    for index, value in enumerate(raw):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}.urls[{index}]: must be a non-empty string")
        url = _checked_url(value.strip(), f"{where}.urls[{index}]")
        if url.rstrip("/") in (u.rstrip("/") for u in urls):
            raise ConfigError(f"{where}.urls[{index}]: {url!r} is listed twice; each member once")
        urls.append(url)
    return tuple(urls)


def _checked_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} must be an http:// or https:// URL")
    if parts.password:
        raise ConfigError(f"{where}: must not contain a password; use `noc-console secret set`")
    return url


def _json_fields(entry: Mapping[str, Any], where: str, kind: str) -> tuple[tuple[str, str], ...]:
    """`[sources.fields]`: required by a json source, refused by any other."""
    raw = entry.get("fields")
    if kind != "json":
        if raw is not None:
            raise ConfigError(f"{where}.fields: only a json source maps fields")
        return ()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}.fields: a json source needs a [sources.fields] table (id, title, ...)")
    try:
        JsonFields.of(raw)
    except ValueError as exc:
        raise ConfigError(f"{where}.{exc}") from None
    return tuple(sorted(raw.items()))


def _http_check(entry: Mapping[str, Any], where: str, kind: str, username: str | None) -> HttpCheck | None:
    """The request(s) and expectations of an http_check source; refused on any other type."""
    if kind != "http_check":
        for key in CHECK_KEYS:
            if key in entry:
                raise ConfigError(f"{where}.{key}: only an http_check source has it")
        return None
    try:
        check = parse_check(entry, entry.get("steps"))
    except ValueError as exc:
        raise ConfigError(f"{where}.{exc}") from None
    if username is None:
        for index, step in enumerate(check.steps):
            values = [v for _, v in step.form or ()] + [step.json or ""]
            if any("${username}" in v or "${password}" in v for v in values):
                key = f"steps[{index}]" if entry.get("steps") is not None else "form"
                raise ConfigError(
                    f"{where}.{key}: uses ${{username}} or ${{password}}, but the source names no username"
                )
    if check.basic_auth and username is None:
        raise ConfigError(f"{where}.basic_auth: needs the source's username (its credential is the password)")
    return check


def _services(raw: Any) -> tuple[ServiceDef, ...]:
    if not isinstance(raw, list):
        raise ConfigError("services: must be an array of tables ([[services]])")
    result = []
    for index, entry in enumerate(raw):
        where = f"services[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: must be a table")
        name = _text(entry, where, "name")
        critical = entry.get("critical", False)
        if not isinstance(critical, bool):
            raise ConfigError(f"{where}.critical: must be true or false")
        match = entry.get("match", {"service": name})
        if not isinstance(match, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in match.items()
        ):
            raise ConfigError(f'{where}.match: must be a table of label = "value" strings')
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{where}.aliases: must be a list of non-empty strings (other words for it)")
        result.append(
            ServiceDef(
                name=name, critical=critical, match=dict(match), aliases=tuple(a.strip() for a in aliases)
            )
        )
    return tuple(result)


def _text(entry: Mapping[str, Any], where: str, key: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _refuse_database_password(url: str) -> None:
    """A password in the file is refused like every other secret; it never appears in the message."""
    parts = urlsplit(url)
    try:
        password = parts.password
    except ValueError:
        password = None
    if password:
        raise ConfigError(
            "database.url: must not contain a password; store it with `noc-console secret set database` "
            "(or NOC_CONSOLE_SECRET_DATABASE / NOC_CONSOLE_SECRET_DATABASE_FILE for a headless poller)"
        )


def config_warnings(config: Config) -> list[str]:
    """Standing risks in the configuration that an operator must see, one plain sentence each."""
    warnings = []
    for source in config.sources:
        if not source.verify_tls:
            warnings.append(
                translate(
                    "config", "TLS verification is off for source {source}: its answers could be forged"
                ).format(source=source.name)
            )
        if source.username and any(urlsplit(url).scheme == "http" for url in source.members):
            warnings.append(
                translate(
                    "config",
                    "source {source} sends its password over plain http://: "
                    "anyone on the network can read it",
                ).format(source=source.name)
            )
    return warnings
