"""Grafana unified alerting: the alerts of Grafana's own Alertmanager.

`GET /api/alertmanager/grafana/api/v2/alerts` answers in Alertmanager's v2 shape (Grafana's API
definitions name the reply `gettableAlerts`, Alertmanager's own type), with the same `silenced`,
`inhibited` and `active` filters, and `GET /api/alertmanager/grafana/api/v2/status` gives the uptime. So
this source is the Alertmanager source under Grafana's paths: the same pure `parse()`, the same
restart rule. It signs in with a service-account token (`Authorization: Bearer`, read from the
credential `source:<name>`), or with basic auth when the source names a `username`.
"""

from __future__ import annotations

from noc_console.sources.alertmanager import AlertmanagerSource
from noc_console.sources.base import SourceConfig

GRAFANA_AM = "/api/alertmanager/grafana"


class GrafanaSource(AlertmanagerSource):
    """Fetches the alerts of one Grafana; the token is kept out of every repr and message."""

    alerts_path = GRAFANA_AM + "/api/v2/alerts"
    status_path = GRAFANA_AM + "/api/v2/status"

    def __init__(self, config: SourceConfig, password: str | None = None, token: str | None = None) -> None:
        super().__init__(config, password)
        self._token = token

    def _headers(self) -> dict[str, str] | None:
        return {"Authorization": f"Bearer {self._token}"} if self._token else None
