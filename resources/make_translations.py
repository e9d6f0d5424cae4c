"""Refresh resources/i18n/noc_console_<lang>.ts from the code, and compile each into its .qm.

`python resources/make_translations.py` runs Qt's lupdate over noc_console/ (it finds every
`translate("Context", "text")` and `QT_TRANSLATE_NOOP("Context", "text")`), which adds the new strings
to each .ts as unfinished, keeps the translations it already has and drops strings the code no longer
says; then lrelease writes the .qm the console loads. Translate the unfinished entries (Qt Linguist, or
any editor: it is XML), then run it again. `--check` changes nothing and fails when a .ts misses a
string of the code or holds an unfinished one, or when a .qm is not what its .ts compiles to; the tests
run it.

The .qm files are committed beside their .ts because an installed console (pip or the bundle) needs
them and a wheel's build has no Qt tools; the check keeps them byte-for-byte what the .ts compiles to.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "noc_console"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("es",)
TARGET_LOCALES = {"es": "es_419"}


def qt_tool(name: str) -> Path:
    """Qt's lupdate or lrelease, as PySide6 ships them."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"{name} is not in the PySide6 package ({folder})")


def sources() -> list[Path]:
    return sorted(path for path in CODE.rglob("*.py") if "migrations" not in path.parts)


def ts_file(code: str, folder: Path = I18N) -> Path:
    return folder / f"noc_console_{code}.ts"


def qm_file(code: str, folder: Path = I18N) -> Path:
    return folder / f"noc_console_{code}.qm"


def lupdate(ts: Path, code: str) -> None:
    files = [str(path) for path in sources()]
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as listing:
        listing.write("\n".join(files))
    try:
        subprocess.run(  # noqa: S603 - Qt's own tool from the PySide6 package, on our own files
            [
                str(qt_tool("lupdate")),
                "-silent",
                "-no-obsolete",
                "-locations",
                "none",
                "-source-language",
                "en",
                "-target-language",
                TARGET_LOCALES[code],
                f"@{listing.name}",
                "-ts",
                str(ts),
            ],
            check=True,
        )
    finally:
        Path(listing.name).unlink()


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(  # noqa: S603 - Qt's own tool from the PySide6 package, on our own files
        [str(qt_tool("lrelease")), "-silent", "-nounfinished", str(ts), "-qm", str(qm)], check=True
    )


def messages(ts: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, source) -> (translation, finished) of every message in a .ts file."""
    found: dict[tuple[str, str], tuple[str, bool]] = {}
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314 - our own translation files
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            text = "" if translation is None else (translation.text or "")
            kind = "" if translation is None else translation.get("type", "")
            found[(name, message.findtext("source") or "")] = (
                text,
                kind not in ("unfinished", "vanished", "obsolete"),
            )
    return found


def problems(code: str) -> list[str]:
    """What is wrong with the committed translation of `code`: strings of the code it lacks, unfinished
    ones, ones the code no longer says, and a .qm that is not what the .ts compiles to."""
    committed = ts_file(code)
    if not committed.is_file():
        return [f"{committed.name} is missing"]
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = ts_file(code, Path(tmp))
        fresh.write_bytes(committed.read_bytes())
        lupdate(fresh, code)
        have = messages(committed)
        want = messages(fresh)
        for key in sorted(want.keys() - have.keys()):
            found.append(f"not in {committed.name}: [{key[0]}] {key[1]!r}")
        for key in sorted(have.keys() - want.keys()):
            found.append(f"no longer in the code: [{key[0]}] {key[1]!r}")
        for key, (_text, finished) in sorted(have.items()):
            if not finished:
                found.append(f"unfinished: [{key[0]}] {key[1]!r}")
        compiled = qm_file(code, Path(tmp))
        lrelease(committed, compiled)
        if not qm_file(code).is_file() or not filecmp.cmp(compiled, qm_file(code), shallow=False):
            found.append(f"{qm_file(code).name} is not what {committed.name} compiles to")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail on any problem")
    args = parser.parse_args(argv)
    if args.check:
        found = [f"{code}: {problem}" for code in LANGUAGES for problem in problems(code)]
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    I18N.mkdir(parents=True, exist_ok=True)
    for code in LANGUAGES:
        lupdate(ts_file(code), code)
        lrelease(ts_file(code), qm_file(code))
        found = messages(ts_file(code))
        unfinished = sum(1 for _text, finished in found.values() if not finished)
        print(f"{ts_file(code).relative_to(ROOT)}: {len(found)} strings, {unfinished} unfinished")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
