"""The language a window speaks and the locale of its dates, times and numbers.

The Spanish translation is complete (every string of the code has a finished translation keeping its
placeholders and its mnemonic), its .qm is what its .ts compiles to and gives back every translation
(the .ts/.qm round trip), `--lang` and the system's locale choose it, and the formats follow the locale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QTabWidget, QToolButton, QWidget

from noc_console.domain.i18n import translate
from noc_console.ui import formats
from noc_console.ui.language import (
    Language,
    LanguageError,
    choose_language,
    install_language,
    translation_file,
    uninstall_language,
)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "noc_console_es.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def ts_messages() -> dict[tuple[str, str], str]:
    found = {}
    for context in ET.parse(TS).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(context.findtext("name") or "", message.findtext("source") or "")] = translation.text or ""
    return found


@pytest.fixture
def local_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The desk's time zone is UTC, so local times are predictable."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_make_translations_check_passes() -> None:
    """Every string of the code is in the .ts, finished; the .qm is what the .ts compiles to."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "resources" / "make_translations.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def test_every_translation_keeps_its_placeholders_and_mnemonic() -> None:
    messages = ts_messages()
    assert len(messages) > 500  # the whole window, not a sample
    for (context, source), spanish in messages.items():
        assert spanish.strip(), (context, source)
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(spanish)), (context, source)
        assert source.count("&") == spanish.count("&"), (context, source, spanish)
        names = {name.strip("{}").split("!")[0].split(":")[0] for name in PLACEHOLDER.findall(source)}
        spanish.format_map(dict.fromkeys(names, 0))


def test_the_qm_gives_back_every_translation_of_the_ts(qapp: QApplication) -> None:
    """The round trip: the compiled .qm, loaded by Qt, answers each source text with the .ts's translation."""
    translator = QTranslator()
    assert translator.load(str(translation_file("es")))
    for (context, source), spanish in ts_messages().items():
        assert translator.translate(context, source) == spanish, (context, source)


def test_lang_chooses_the_language_and_a_region() -> None:
    assert choose_language("es", QLocale("en_US")).locale.name() == "es_419"
    assert choose_language("es", QLocale("es_AR")).locale.name() == "es_AR"  # the desk's own region
    assert choose_language("es_MX", QLocale("en_US")).locale.name() == "es_MX"
    assert choose_language("es-CO", QLocale("C")).locale.name() == "es_CO"
    english = choose_language("en", QLocale("es_MX"))
    assert (english.code, english.translated) == ("en", False)
    with pytest.raises(LanguageError, match="--lang"):
        choose_language("fr", QLocale("en_US"))


def test_the_system_locale_chooses_only_a_translated_language() -> None:
    assert choose_language(None, QLocale("es_MX")) == Language(QLocale("es_MX"), "es")
    assert choose_language(None, QLocale("en_GB")) == Language(QLocale("en_GB"), "en")
    untranslated = choose_language(None, QLocale("fr_FR"))  # English, not a half-French window
    assert (untranslated.code, untranslated.locale.name()) == ("en", "en_GB")
    assert choose_language(None, QLocale(QLocale.Language.C)).locale.name() == "en_GB"  # 12,000, not 12000


def test_installing_spanish_translates_ours_and_qts_own_texts(qapp: QApplication, spanish: Language) -> None:
    some = next(iter(ts_messages().items()))
    (context, source), expected = some
    assert translate(context, source) == expected  # the core's translate goes through Qt now
    assert QCoreApplication.translate(context, source) == expected
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"
    assert QLocale().name() == "es_419"
    tabs = QTabWidget()
    for n in range(30):
        tabs.addTab(QWidget(), f"page {n}")
    tabs.resize(200, 100)
    scroll = tabs.findChild(QToolButton, "ScrollLeftButton")
    assert scroll is not None and scroll.accessibleName() == "Desplazar hacia la izquierda"


def test_uninstalling_gives_the_source_text_back(qapp: QApplication) -> None:
    installed = install_language(qapp, choose_language("es", QLocale("C")))
    (context, source), _spanish = next(iter(ts_messages().items()))
    uninstall_language(qapp, installed)
    assert translate(context, source) == source
    assert QLocale().language() == QLocale.Language.C


def test_numbers_follow_the_locale(qapp: QApplication) -> None:
    QLocale.setDefault(QLocale("es_AR"))
    try:
        assert formats.number(1234567) == "1.234.567"
        assert formats.number(1234.56, 1) == "1.234,6"
        assert formats.percent(92.54) == "92,5\u00a0%"
        QLocale.setDefault(QLocale("es_MX"))
        assert formats.number(1234.56, 1) == "1,234.6"
        assert formats.percent(None, missing="—") == "—"
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.C))


def test_dates_and_times_follow_the_locale(qapp: QApplication, local_utc: None) -> None:
    at = datetime(2026, 11, 28, 21, 5, 7, tzinfo=UTC)
    QLocale.setDefault(QLocale("es_419"))
    try:
        assert formats.weekday(date(2026, 11, 28)) == "sáb 28 nov"
        assert formats.day(at) == "28/11/26"
        assert formats.clock(at).replace("\u202f", " ").replace("\u00a0", " ") == "9:05 p.m."
        assert formats.clock(at, seconds=True).replace("\u202f", " ").replace("\u00a0", " ") == "9:05:07 p.m."
        QLocale.setDefault(QLocale("en_GB"))
        assert formats.clock(at, seconds=True) == "21:05:07"
        assert formats.utc_clock(at) == "21:05 UTC"
        assert formats.weekday(at) == "Sat 28 Nov"
        assert formats.day(at) == "28/11/2026"
        QLocale.setDefault(QLocale(QLocale.Language.C))  # what the other tests run in
        assert formats.clock(at) == "21:05"
        assert formats.number(1234) == "1234"
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.C))


def test_the_operator_window_speaks_spanish(
    qtbot, qapp: QApplication, spanish: Language, tmp_path: Path
) -> None:
    from noc_console.domain.sla import SlaPolicy
    from noc_console.ui.main_window import MainWindow

    window = MainWindow(f"sqlite:///{tmp_path / 'noc.db'}", SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()  # so that qtbot's close at the end shuts it down even when the test fails
    messages = ts_messages()
    spanish_texts = set(messages.values())
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs and all(tab in spanish_texts for tab in tabs), tabs
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus and all(menu in spanish_texts for menu in menus), menus
    window.shutdown()  # (close() on a window never shown sends no close event: its threads would stay)


def console_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOC_CONSOLE_", "LC_", "LANG"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--lang", "es"], {"LANG": "en_US.UTF-8"}, "language es, locale es_419 (Qt's own translation: yes)"),
        ([], {"LANG": "es_MX.UTF-8"}, "language es, locale es_MX"),
        ([], {"LANG": "fr_FR.UTF-8"}, "language en, locale en_GB (Qt's own translation: not needed)"),
    ],
)
def test_a_console_speaks_what_lang_or_the_system_locale_chooses(
    tmp_path: Path, args: list[str], env: dict[str, str], expected: str
) -> None:
    """`noc-console gui`, a real process: its log says which language and locale it chose."""
    logs = tmp_path / "logs"
    config = tmp_path / "noc.toml"
    config.write_text("")
    argv = [
        sys.executable,
        "-m",
        "noc_console",
        "--config",
        str(config),
        "--db",
        f"sqlite:///{tmp_path / 'noc.db'}",
    ]
    gui = subprocess.Popen(
        [*argv, "gui", *args],
        env=console_env(NOC_CONSOLE_LOG_DIR=str(logs), **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        said = ""
        while "language " not in said and time.monotonic() < deadline and gui.poll() is None:
            time.sleep(0.1)
            said = (logs / "gui.log").read_text() if (logs / "gui.log").exists() else ""
        assert expected in said, said[-3000:]
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.wait(timeout=10)


def test_an_unknown_language_is_a_usage_error_naming_lang(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "noc_console",
            "--db",
            f"sqlite:///{tmp_path / 'noc.db'}",
            "gui",
            "--lang",
            "fr",
        ],
        env=console_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "--lang" in done.stderr and "fr" in done.stderr
    assert not (tmp_path / "noc.db").exists()  # nothing was opened
