"""The built-in demo: a simulated monitoring API that speaks Alertmanager v2 over real HTTP."""

from noc_console.demo.simulator import DEFAULT_SCENARIO, ScenarioAlert, SimulatedAlertmanager

__all__ = ["DEFAULT_SCENARIO", "ScenarioAlert", "SimulatedAlertmanager"]
