import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from noc_console.config import ConfigError, load_config, parse_config
from noc_console.domain.flapping import FlapRule

GOOD = """
[database]
url = "sqlite:///x.db"

[sla]
ack_minutes = 3

[correlation]
window_minutes = 5

[[sources]]
name = "prod-am"
type = "alertmanager"
url = "http://127.0.0.1:9093"
interval_s = 15
username = "noc"

[[services]]
name = "payments"
critical = true
match = { service = "payments" }
"""


def test_full_config_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD)
    config = load_config(path)
    assert config.database_url == "sqlite:///x.db"
    assert config.sla.ack == timedelta(minutes=3)
    assert config.sla.assessment == timedelta(minutes=15)
    assert config.correlation.window == timedelta(minutes=5)
    (source,) = config.sources
    assert (source.name, source.interval_s, source.timeout_s, source.username) == ("prod-am", 15, 5, "noc")
    assert source.credential_name == "source:prod-am"
    assert config.catalog.services[0].critical


def test_missing_default_config_means_defaults() -> None:
    assert load_config(None).sources == ()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[sla]\nack_minutes = -1", "sla.ack_minutes"),
        ("[sla]\nack_minutes = 'soon'", "sla.ack_minutes"),
        ("[[sources]]\nname='a'\ntype='alertmanager'\nurl='ftp://x'", "sources[0] (a).url"),
        ("[[sources]]\nname='a'\ntype='pigeon'\nurl='http://x'", "sources[0] (a).type"),
        ("[[sources]]\ntype='alertmanager'\nurl='http://x'", "sources[0].name"),
        (
            "[[sources]]\nname='a'\ntype='alertmanager'\nurl='http://x'\ntimeout_s=0",
            "sources[0] (a).timeout_s",
        ),
        ("[[sources]]\nname='a'\ntype='alertmanager'\nurl='http://u:pw@x'", "sources[0] (a).url"),
        (
            "[[sources]]\nname='a'\ntype='alertmanager'\nurl='http://x'\npassword='x'",
            "sources[0] (a).password",
        ),
        (
            "[[sources]]\nname='a'\ntype='alertmanager'\nurl='http://x'\n"
            "[[sources]]\nname='a'\ntype='alertmanager'\nurl='http://y'",
            "sources[1] (a).name",
        ),
        ("[[services]]\nname='p'\nmatch={service=1}", "services[0].match"),
        ("[bogus]\nx=1", "bogus"),
    ],
)
def test_bad_config_names_the_field(text: str, field: str) -> None:
    import tomllib

    with pytest.raises(ConfigError) as error:
        parse_config(tomllib.loads(text))
    assert str(error.value).startswith(field + ":")


def test_invalid_toml_and_missing_explicit_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[sla\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="--config"):
        load_config(tmp_path / "none.toml")


def test_the_receiver_section_is_read_and_its_mistakes_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[receiver]\nlisten = "127.0.0.1:9095"\npublic_url = "https://noc.example.org"\n')
    receiver = load_config(config).receiver
    assert receiver is not None and (receiver.host, receiver.port) == ("127.0.0.1", 9095)
    assert receiver.public_url == "https://noc.example.org"
    assert parse_config({}).receiver is None  # off unless configured
    for text, message in (
        ('listen = "9095"', "receiver.listen: must be host:port"),
        ('listen = "127.0.0.1:99999"', "receiver.listen: '127.0.0.1:99999' is not host:port"),
        ('listen = "127.0.0.1:9095"\ntoken = "x"', "receiver.token: unknown setting"),
    ):
        with pytest.raises(ConfigError, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
            parse_config(tomllib.loads("[receiver]\n" + text))


def test_group_by_defaults_to_the_service_and_reads_label_names() -> None:
    assert parse_config({}).correlation.group_by == ("service",)
    config = parse_config({"correlation": {"group_by": ["service", "region"]}})
    assert config.correlation.group_by == ("service", "region")


@pytest.mark.parametrize(
    ("group_by", "field"),
    [
        ([], "correlation.group_by"),
        ("service", "correlation.group_by"),
        (["service", "service"], "correlation.group_by[1]"),
        (["service", ""], "correlation.group_by[1]"),
        (["service", 3], "correlation.group_by[1]"),
        ([" host"], "correlation.group_by[0]"),
        (["a\nb"], "correlation.group_by[0]"),
        ([f"l{i}" for i in range(11)], "correlation.group_by"),
    ],
)
def test_bad_group_by_names_the_field(group_by: object, field: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"correlation": {"group_by": group_by}})
    assert str(error.value).startswith(field + ":")


def test_unknown_correlation_key_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^correlation\.group: unknown setting"):
        parse_config({"correlation": {"group": ["service"]}})


def test_flapping_defaults_and_reads_its_two_settings() -> None:
    assert parse_config({}).correlation.flap == FlapRule(threshold=4, window=timedelta(minutes=20))
    config = parse_config({"correlation": {"flap_threshold": 6, "flap_window_min": 30}})
    assert config.correlation.flap == FlapRule(threshold=6, window=timedelta(minutes=30))
    assert not parse_config({"correlation": {"flap_threshold": 0}}).correlation.flap.on


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("flap_threshold", 2.5, "must be a whole number, not 2.5"),
        ("flap_threshold", "4", "must be a whole number, not '4'"),
        ("flap_threshold", True, "must be a whole number, not True"),
        ("flap_threshold", -1, "must be between 0 and 1000, not -1"),
        ("flap_threshold", 1001, "must be between 0 and 1000, not 1001"),
        ("flap_window_min", 0, "must be between 1 and 1440, not 0"),
        ("flap_window_min", "20", "must be a number, not '20'"),
        ("flap_window_min", 1441, "must be between 1 and 1440, not 1441"),
    ],
)
def test_bad_flapping_settings_name_the_field(key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"correlation": {key: value}})
    assert str(error.value) == f"correlation.{key}: {message}"


@pytest.mark.parametrize(
    ("settings", "field", "says"),
    [
        ("client_cert = '{missing}'", "client_cert", "is not a readable file"),
        ("client_key = '{garbage}'", "client_key", "needs client_cert"),
        ("client_cert = '{garbage}'", "client_cert", "cannot be used"),
        ("client_cert = '{garbage}'\nclient_key = '{garbage}'", "client_key", "cannot be used"),
    ],
)
def test_a_client_certificate_that_cannot_be_used_is_refused_at_load(
    tmp_path: Path, settings: str, field: str, says: str
) -> None:
    garbage = tmp_path / "not-pem.crt"
    garbage.write_text("this is not a certificate\n")
    text = settings.format(missing=tmp_path / "nowhere.crt", garbage=garbage)
    with pytest.raises(ConfigError, match=rf"^sources\[0\] \(i\)\.{field}: .*{says}"):
        parse_config(
            tomllib.loads(f"[[sources]]\nname='i'\ntype='icinga2'\nurl='https://icinga:5665'\n{text}")
        )


def test_a_client_certificate_goes_over_https_only(tmp_path: Path) -> None:
    pem = tmp_path / "client.pem"
    pem.write_text("unread: the url is refused first\n")
    entry = f"[[sources]]\nname='i'\ntype='icinga2'\nurl='http://icinga:5665'\nclient_cert='{pem}'"
    with pytest.raises(
        ConfigError, match=r"^sources\[0\] \(i\)\.client_cert: .* https only, not to http://icinga"
    ):
        parse_config(tomllib.loads(entry))
