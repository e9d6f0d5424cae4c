"""The memory the console's two processes need before any code of the window or any alert: what the
fixed choices (PySide6 with QtMultimedia for the alarms, SQLAlchemy, requests) and the separate engine
process (ARCHITECTURE.md) cost by themselves. Prints one JSON object on its last line.

Usage: python benchmarks/bench_memory_floor.py

Each figure is VmRSS in MB (10^6 bytes) of a fresh interpreter with the console's glibc heap limit
(noc_console.memory.limit_arenas), as `noc-console` sets it:

- window_python: Python alone, in the window's process;
- window_qt_table: plus a PySide6 main window showing a 200-row, 9-column table, on Xvfb (xcb);
- window_qt_multimedia: plus QtMultimedia's audio backend (`QMediaDevices.audioOutputs()`, which the
  alarm player calls at start to judge NO AUDIO);
- window_floor: plus SQLAlchemy, its ORM and the console's models (the window reads the store);
- poller_floor: the poller's process after importing what `noc-console poller` runs (the command
  line, the engine, the receiver, SQLAlchemy with the models, requests, msgspec), without Qt;
- floor_mb: window_floor + poller_floor, to compare with bench_end_to_end.py's rss_mb.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live_console as live

ROOT = Path(__file__).resolve().parents[1]

WINDOW = r"""
import json

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) * 1024 / 1e6, 1)

from noc_console.memory import limit_arenas
limit_arenas()
out = {"window_python": rss()}
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([])
window, table, model = QMainWindow(), QTableView(), QStandardItemModel(200, 9)
for row in range(200):
    for column in range(9):
        model.setItem(row, column, QStandardItem(f"cell {row} {column}"))
table.setModel(model)
window.setCentralWidget(table)
window.resize(1600, 900)
window.show()
for _ in range(50):
    app.processEvents()
out["window_qt_table"] = rss()
from PySide6.QtMultimedia import QMediaDevices
QMediaDevices.audioOutputs()
out["window_qt_multimedia"] = rss()
import sqlalchemy.orm
import noc_console.store.models
sqlalchemy.orm.configure_mappers()
out["window_floor"] = rss()
print(json.dumps(out))
"""

POLLER = r"""
import json
from noc_console.memory import limit_arenas
limit_arenas()
import msgspec, requests, sqlalchemy.orm
import noc_console.cli, noc_console.engine.poller, noc_console.engine.receiver, noc_console.store.models
sqlalchemy.orm.configure_mappers()
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        print(json.dumps({"poller_floor": round(int(line.split()[1]) * 1024 / 1e6, 1)}))
"""


def run(script: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise live.BenchError(f"a measuring process failed:\n{done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    live.exit_on_signals()
    with tempfile.TemporaryDirectory(prefix="noc-bench-floor-") as tmp:
        workdir = Path(tmp)
        runtime = workdir / "runtime"
        runtime.mkdir(mode=0o700)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("NOC_CONSOLE_", "QT_"))}
        base["PYTHONPATH"] = str(ROOT)
        try:
            with live.xvfb(workdir) as (display, _):
                window = run(WINDOW, base | {
                    "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "XDG_RUNTIME_DIR": str(runtime),
                    "QT_LOGGING_RULES": "qt.multimedia.*=false",
                    "PULSE_SERVER": f"unix:{runtime / 'no-sound-server'}",
                })  # fmt: skip
            poller = run(POLLER, base)
        except live.BenchError as exc:
            print(f"bench_memory_floor: {exc}", file=sys.stderr)
            return 1
    figures = window | poller
    figures["floor_mb"] = round(figures["window_floor"] + figures["poller_floor"], 1)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
