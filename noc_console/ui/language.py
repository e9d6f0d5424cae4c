"""The language a window speaks and the locale its dates, times and numbers follow.

`--lang es` (or `es_AR`, `en`...) chooses; without it the system's locale does, when the console has a
complete translation for its language, else English. The chosen locale becomes Qt's default, so
`noc_console.ui.formats` writes dates and numbers the way that region does (es_AR: 1.234,5), and its
translations are installed: ours (`resources/i18n/noc_console_<lang>.qm`, made from the `.ts` by
`resources/make_translations.py`) and Qt's own (`qtbase_<lang>.qm`: the standard buttons and dialogs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from noc_console.desktop import resources_dir
from noc_console.domain.i18n import SOURCE_LANGUAGE, SPOKEN, TRANSLATED, language_code, use_translator

# Where `--lang es` names no region: Latin American Spanish, the wording of the translation.
DEFAULT_REGIONS = {"es": "es_419", "en": "en_US"}
# English text on a desk whose locale is "C" or a language the console does not speak: British formats
# (a 24-hour clock, 12,000 grouped, "Sat 28 Nov"), not C's ungrouped numbers or another language's day names.
UNTRANSLATED_FORMATS = "en_GB"
log = logging.getLogger(__name__)


class LanguageError(ValueError):
    """`--lang` names a language the console cannot speak."""


@dataclass(frozen=True)
class Language:
    locale: QLocale
    code: str  # "es", or "en" for the source text

    @property
    def translated(self) -> bool:
        return self.code != SOURCE_LANGUAGE


def translations_dir() -> Path:
    return resources_dir() / "i18n"


def translation_file(code: str) -> Path:
    return translations_dir() / f"noc_console_{code}.qm"


def choose_language(requested: str | None, system: QLocale) -> Language:
    """`requested` (from --lang: a language, or language_REGION) wins; else the system locale when its
    language is translated; else English, with the system's formats when it is an English locale, else
    British ones."""
    if requested is not None:
        name = requested.strip().replace("-", "_")
        code = language_code(name)
        if code not in SPOKEN:
            raise LanguageError(
                f"--lang: {requested!r} is not a language this console speaks ({', '.join(SPOKEN)})"
            )
        region = name if "_" in name else None
        if region is None and _code(system) == code:
            return Language(system, code)
        locale = QLocale(region or DEFAULT_REGIONS[code])
        if _code(locale) != code:
            raise LanguageError(f"--lang: {requested!r} is not a locale Qt knows (try {code} or {code}_MX)")
        return Language(locale, code)
    code = _code(system)
    if code in TRANSLATED:
        return Language(system, code)
    return Language(system if code == SOURCE_LANGUAGE else QLocale(UNTRANSLATED_FORMATS), SOURCE_LANGUAGE)


def _code(locale: QLocale) -> str:
    return language_code(locale.name())


def install_language(app: QCoreApplication, language: Language) -> list[QTranslator]:
    """Make `language` the application's: its locale the default for formats, its translations
    installed (returned, parented to `app`), and every `translate` of the core routed through Qt."""
    QLocale.setDefault(language.locale)
    installed: list[QTranslator] = []
    if language.translated:
        ours = translation_file(language.code)
        translator = QTranslator(app)
        if not translator.load(str(ours)):
            raise LanguageError(f"--lang: the {language.code} translation is missing ({ours})")
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        if qt_own.load(f"qtbase_{language.code}", qt_dir):
            app.installTranslator(qt_own)
            installed.append(qt_own)
        else:
            log.warning(
                "Qt's own %s translation is not installed: its standard buttons stay English", language.code
            )
        app.installTranslator(translator)
        installed.append(translator)
    use_translator(QCoreApplication.translate)
    qt_said = "yes" if len(installed) == 2 else "no" if language.translated else "not needed"
    log.info(
        "language %s, locale %s (Qt's own translation: %s)", language.code, language.locale.name(), qt_said
    )
    return installed


def uninstall_language(app: QCoreApplication, installed: list[QTranslator]) -> None:
    """Back to the source text (tests that switch languages)."""
    for translator in installed:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.C))
    use_translator(None)
