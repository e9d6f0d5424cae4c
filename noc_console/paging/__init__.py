"""Paging providers: one module per vendor, each turning a page into the vendor's documented request.

`build_provider(config, secret)` builds the provider a `[[providers]]` entry names; one that cannot be
built (a missing credential, a bad option) becomes a provider whose every page fails with that reason,
shown in red on the incident, so the other providers still page.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from noc_console.paging.base import (
    Outcome,
    Page,
    PageProvider,
    ProviderConfig,
    ProviderError,
    SecretLookup,
    SendResult,
)


@dataclass
class BrokenProvider:
    """A provider that could not be built: every page through it fails, saying why."""

    config: ProviderConfig
    reason: str

    def send(self, page: Page) -> SendResult:
        return SendResult(Outcome.FAILED, error=self.reason)

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return SendResult(Outcome.FAILED, error=self.reason)

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return SendResult(Outcome.FAILED, error=self.reason)

    def delivery(self, provider_id: str) -> SendResult | None:
        return None


def build_provider(config: ProviderConfig, secret: SecretLookup) -> PageProvider:
    module = importlib.import_module(f"noc_console.paging.{config.type.value}")
    try:
        provider: PageProvider = module.build(config, secret)
    except ProviderError as exc:
        return BrokenProvider(config, str(exc))
    except Exception as exc:  # a missing credential (SecretError) and kin: named, never the secret
        return BrokenProvider(config, f"provider {config.name}: {exc}")
    return provider
