"""Plain data and pure rules: no Qt, no SQL, no HTTP."""

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.correlation import CorrelationRule, OpenIncidentRef, ServiceCatalog, ServiceDef
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import DEFAULT_SEVERITY, Severity, severity_from_label
from noc_console.domain.sla import SlaClock, SlaPolicy, due_times, format_countdown, remaining

__all__ = [
    "DEFAULT_SEVERITY",
    "Alert",
    "AlertSnapshot",
    "AlertState",
    "CorrelationRule",
    "DetectionSource",
    "Incident",
    "IncidentStatus",
    "OpenIncidentRef",
    "ServiceCatalog",
    "ServiceDef",
    "Severity",
    "SlaClock",
    "SlaPolicy",
    "due_times",
    "format_countdown",
    "remaining",
    "severity_from_label",
]
