"""pytest with Qt made unimportable, so the Qt-free core (tests/domain, tests/sources) provably runs
without it. Arguments go to pytest; `bash .ci/test` runs the core's tests this way, once."""

import importlib.abc
import sys

import pytest


class NoQt(importlib.abc.MetaPathFinder):
    """Refuse Qt, so the core provably runs without it."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph", "pytestqt"}:
            raise ImportError(f"{name} is blocked: the Qt-free core must not import it")


sys.meta_path.insert(0, NoQt())
# pytest-qt's entry point is named "pytest-qt"; its ini options (qt_api, ...) become unknown without it.
args = ["-p", "no:pytestqt", "-p", "no:pytest-qt", "-W", "ignore::pytest.PytestConfigWarning", *sys.argv[1:]]
code = pytest.main(args)
if code == pytest.ExitCode.NO_TESTS_COLLECTED:
    print("no tests collected in the Qt-free core: that is a failure", file=sys.stderr)
    sys.exit(1)
sys.exit(int(code))
