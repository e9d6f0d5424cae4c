"""What the console says to people, in their language.

Every user-facing string goes through `translate(context, text)`. The window installs Qt's translator
behind it (`noc_console.ui.language`); the core, which never imports Qt, calls the same function and
gets the source text until a window has installed one. Qt's `lupdate` finds the calls by their name, so
the context and the text are literals, and values go in after the translation with `str.format`
placeholders that the translation keeps:

    translate("Wall", "{count} open").format(count=n)

Text that must be chosen before any translator exists (a module-level table) is marked with
`QT_TRANSLATE_NOOP("Context", "text")`, which lupdate also finds, and translated where it is shown with
`translate("Context", value)`.

Plurals: `plural(n, translate(C, "{n} alert"), translate(C, "{n} alerts")).format(n=...)`. Qt's own
`%n` forms would need lupdate to mark the message numerus, which its Python parser does not; English and
Spanish both have one singular and one plural form, and that is what this chooses between.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]

SOURCE_LANGUAGE = "en"
# Languages with a complete translation (resources/i18n; tests/ui/test_language.py checks that every string
# of the code has one). Only these are chosen from the system's locale: a half-translated window is worse
# than an English one.
TRANSLATED = ("es",)
SPOKEN = (SOURCE_LANGUAGE, *TRANSLATED)


def language_code(name: str) -> str:
    """The language of a locale name: "es" for "es", "es_AR", "es-419" or "es_MX.UTF-8"."""
    return name.strip().replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()


def _source(_context: str, text: str) -> str:
    return text


_translator: Translator = _source


def translate(context: str, text: str) -> str:
    """`text` in the installed language (the source text, English, when none is installed)."""
    return _translator(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for translation in `context` without translating it now."""
    del context
    return text


def plural(n: int, one: str, other: str) -> str:
    """`one` for exactly one, else `other` (the caller fills `{n}`, formatted for the locale)."""
    return one if n == 1 else other


def use_translator(translator: Translator | None) -> None:
    """Install `translator` (context, text) -> text for every later `translate`; None restores the
    source text."""
    global _translator  # noqa: PLW0603 (one translator per process, set when its window starts)
    _translator = translator or _source
