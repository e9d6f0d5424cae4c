"""What the operator's window loads at start. pyqtgraph and numpy cost it about 55 MB of memory (its
whole budget is 180 MB with the poller at 1,000 alerts: issue 11); only charts need them, so they wait
until a chart is first made. The HTTP stack belongs to the poller. Checked in a fresh interpreter, so
that no other test's import hides one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from datetime import UTC, datetime, timedelta
from PySide6.QtWidgets import QApplication
app = QApplication([])
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store.db import open_store
from noc_console.ui.main_window import MainWindow

url = sys.argv[1]
now = datetime.now(UTC)
store = open_store(url)
alert = Alert(
    source="prod-am", fingerprint="a", labels={"alertname": "Down", "service": "checkout"},
    summary="Checkout down", description="", severity=Severity.CRITICAL,
    starts_at=now - timedelta(minutes=1), service="checkout",
)
with store.session() as s:
    apply_snapshot(s, AlertSnapshot.of("prod-am", now, [alert]), now=now)
store.close()
window = MainWindow(url, SlaPolicy(), "ana", poller=None)
window.resize(1600, 900)
window.show()
deadline = datetime.now(UTC) + timedelta(seconds=20)
while window.table.model().rowCount() == 0 and datetime.now(UTC) < deadline:
    app.processEvents()
window.table.selectRow(0)
for _ in range(50):
    app.processEvents()
heavy = ("pyqtgraph", "numpy", "requests", "urllib3")
print(json.dumps({"rows": window.table.model().rowCount(),
                  "loaded": sorted(m for m in heavy if m in sys.modules)}))
window.close()
"""


def test_the_window_with_an_incident_selected_loads_no_chart_or_http_library(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'noc.db'}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["rows"] == 1, done.stderr[-3000:]
    assert found["loaded"] == [], f"the window imported {found['loaded']} at start"
