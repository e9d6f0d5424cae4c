from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from noc_console.secrets import SecretError, env_name, get_secret, set_secret
from tests.conftest import InMemoryKeyring


def test_env_name_follows_the_documented_convention() -> None:
    assert env_name("source:prod-alertmanager") == "NOC_CONSOLE_SECRET_SOURCE_PROD_ALERTMANAGER"


def test_keyring_first_then_environment_then_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_A", "from-env")
    assert get_secret("source:a") == "from-env"
    set_secret("source:a", "from-keyring")
    assert get_secret("source:a") == "from-keyring"
    secret_file = tmp_path / "token"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_B_FILE", str(secret_file))
    assert get_secret("source:b") == "from-file"


def test_missing_secret_names_the_credential_and_three_ways() -> None:
    with pytest.raises(SecretError) as error:
        get_secret("source:prod")
    text = str(error.value)
    for part in (
        "source:prod",
        "secret set",
        "NOC_CONSOLE_SECRET_SOURCE_PROD",
        "NOC_CONSOLE_SECRET_SOURCE_PROD_FILE",
    ):
        assert part in text


def test_no_keyring_backend_is_said_plainly_never_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(SecretError, match="no OS keyring"):
        set_secret("source:a", "value")
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_A", "env")
    assert get_secret("source:a") == "env"


class PlaintextKeyring(InMemoryKeyring):
    """Named like keyrings.alt's file keyring, which writes secrets to disk in the clear."""


class LockedKeyring(InMemoryKeyring):
    """A keyring that is there but fails (locked, its daemon gone)."""

    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("the collection is locked")


def test_a_plaintext_keyring_is_refused_like_a_missing_one(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    with pytest.raises(SecretError, match="plain text"):
        set_secret("source:a", "value")
    assert backend.values == {}
    backend.values[("noc-console", "source:a")] = "written by someone else"
    with pytest.raises(SecretError, match="missing"):
        get_secret("source:a")  # never read from a plaintext store either
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_A", "env")
    assert get_secret("source:a") == "env"


def test_a_failing_keyring_is_reported_as_itself_not_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from noc_console.secrets import SecretMissing, optional_secret

    keyring.set_keyring(LockedKeyring())
    with pytest.raises(SecretError, match="KeyringLocked") as error:
        get_secret("source:a")
    assert not isinstance(error.value, SecretMissing) and "missing" not in str(error.value)
    assert optional_secret("database") is None  # a database that may need no password: a warning only
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_A", "env")
    assert get_secret("source:a") == "env"  # the environment still provides it
