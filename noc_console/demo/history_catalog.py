"""What the demo's history talks about: per service, the alerts that fire, what callers say, and people.

Plain data for `demo.history`; the services are the demo config's (`demo.actor.DEMO_SERVICES`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AlertTemplate:
    """One kind of alert a service raises, as Prometheus rules would label and annotate it."""

    name: str
    job: str
    instance: str
    summary: str
    description: str


@dataclass(frozen=True, slots=True)
class ServiceHistory:
    """How one service shows up in the history. `source` None: no monitoring sees it (customers do).
    `probe`: what a synthetic check of it does, if one exists."""

    weight: float
    source: str | None
    alerts: tuple[AlertTemplate, ...]
    callers_say: tuple[str, ...]
    probe: str | None = None


def _a(name: str, job: str, instance: str, summary: str, description: str) -> AlertTemplate:
    return AlertTemplate(name, job, instance, summary, description)


# The demo config's two sources (demo.runner writes them): the main Alertmanager and the branch office's.
DEMO_SOURCE = "demo-alertmanager"
BRANCH_SOURCE = "branch-alertmanager"

SERVICES: dict[str, ServiceHistory] = {
    "payments": ServiceHistory(
        0.17, DEMO_SOURCE,
        (
            _a("PaymentsApi5xxRate", "payments-api", "payments-api-1:9100", "Payments API 5xx rate above 5%",
               "Requests to /v1/charges return 5xx above the 5% threshold over the last 5 minutes."),
            _a("PaymentsQueueBacklog", "payments-worker", "payments-worker-1:9100",
               "Payments settlement queue backlog growing",
               "The settlement queue has grown for 10 minutes; workers are not keeping up."),
            _a("CardProcessorLatencyHigh", "payments-api", "payments-api-2:9100",
               "Card processor response time above 3 s",
               "p95 of authorisation calls to the card processor is above 3 s."),
            _a("PaymentsWebhookFailures", "payments-worker", "payments-worker-2:9100",
               "Payment provider webhooks failing",
               "More than 10% of incoming provider webhooks fail signature checks or time out."),
        ),
        (
            "Card payments fail at the till",
            "Customers are charged twice for one order",
            "Refunds have been stuck as pending since this morning",
            "Every card is declined on our web orders",
        ),
        probe="a test card payment of 1 GBP",
    ),
    "checkout": ServiceHistory(
        0.15, DEMO_SOURCE,
        (
            _a("CheckoutLatencyP99High", "checkout", "checkout-web-2:9100", "Checkout latency p99 above 2 s",
               "p99 latency of the checkout flow is above the 2 s threshold."),
            _a("CheckoutErrorRate", "checkout", "checkout-web-1:9100", "Checkout error rate above 2%",
               "More than 2% of checkout submissions end in an error page."),
            _a("BasketServiceNoHealthyInstances", "basket", "basket-1:9100",
               "Basket service: no healthy instances",
               "The load balancer reports no healthy basket instance."),
        ),
        (
            "Checkout spins forever after pressing Pay",
            "Items disappear from the basket before checkout",
            "The order confirmation page shows an error",
        ),
        probe="the checkout journey (add to basket, pay)",
    ),
    # No rule, probe or label maps to the web shop's front end yet: customers tell us.
    "webshop": ServiceHistory(
        0.04, None, (),
        (
            "The web shop shows a blank page",
            "Product pages on the web shop take a minute to load",
            "Search on the web shop returns nothing",
            "Signing in to the web shop loops back to the sign-in page",
            "Product images are missing on the web shop",
        ),
    ),
    "database": ServiceHistory(
        0.12, DEMO_SOURCE,
        (
            _a("PostgresReplicationLag", "postgres", "db-replica-1:9187", "Primary DB replication lag",
               "The replica is more than 30 s behind the primary."),
            _a("PostgresConnectionsSaturated", "postgres", "db-primary-1:9187",
               "Database connections above 90% of max_connections",
               "Connections on db-primary-1 are above 90% of max_connections."),
            _a("PostgresVolumeFillingUp", "node", "db-primary-1:9100", "Database volume fills within 4 hours",
               "At the current rate the data volume of db-primary-1 is full within 4 hours."),
            _a("PostgresDeadlocks", "postgres", "db-primary-1:9187", "Deadlocks on the orders database",
               "More than 5 deadlocks a minute on the orders database."),
        ),
        (
            "Reports time out when loading",
            "Our order history is empty",
            "Saving a customer record fails with an error",
        ),
    ),
    "dns": ServiceHistory(
        0.10, DEMO_SOURCE,
        (
            _a("DnsResolverServfailRate", "coredns", "dns-resolver-1:9153", "DNS resolver SERVFAIL rate",
               "More than 2% of queries to dns-resolver-1 are answered SERVFAIL."),
            _a("DnsResolverDown", "coredns", "dns-resolver-2:9153", "DNS resolver not answering",
               "dns-resolver-2 has not answered health queries for 2 minutes."),
            _a("DnsSecondaryZoneStale", "bind", "dns-secondary-1:9119", "Secondary DNS serving a stale zone",
               "The secondary's zone serial is more than an hour behind the primary's."),
        ),
        (
            "Our staff cannot open any internal site by name",
            "Browsers say 'server not found' for your sites",
        ),
        probe="resolving www and api from three locations",
    ),
    "email": ServiceHistory(
        0.14, DEMO_SOURCE,
        (
            _a("SmtpRelayDeferred", "postfix", "smtp-relay-1:9100", "Outbound email deferred",
               "More than 20% of outbound messages on smtp-relay-1 are deferred."),
            _a("SmtpQueueHigh", "postfix", "smtp-relay-2:9100", "Mail queue above 5,000 messages",
               "The outbound queue on smtp-relay-2 holds more than 5,000 messages."),
            _a("ImapLoginFailures", "dovecot", "imap-1:9100", "IMAP login failures rising",
               "IMAP authentication failures are three times their usual rate."),
        ),
        (
            "Order confirmation emails do not arrive",
            "Our emails to you bounce",
            "We cannot sign in to webmail",
        ),
        probe="a round-trip test message",
    ),
    "vpn": ServiceHistory(
        0.13, DEMO_SOURCE,
        (
            _a("VpnTunnelDown", "ipsec", "vpn-gw-1:9100", "VPN tunnel to branch office down",
               "An IPsec tunnel from vpn-gw-1 to a branch office is down."),
            _a("VpnGatewayCpuHigh", "node", "vpn-gw-1:9100", "VPN gateway CPU above 90%",
               "CPU on vpn-gw-1 has been above 90% for 10 minutes."),
            _a("VpnRadiusTimeouts", "radius", "radius-1:9812", "VPN logins failing (RADIUS timeouts)",
               "More than 10% of VPN logins time out waiting for RADIUS."),
        ),
        (
            "Remote staff cannot connect to the VPN",
            "The VPN drops every few minutes",
        ),
    ),
    "branch-leeds": ServiceHistory(
        0.15, BRANCH_SOURCE,
        (
            _a("BranchUplinkErrors", "snmp", "leeds-rtr-1:161",
               "Leeds branch uplink: interface errors rising",
               "Input errors on the Leeds uplink interface are rising."),
            _a("BranchUplinkDown", "snmp", "leeds-rtr-1:161", "Leeds branch uplink down, on 4G backup",
               "The primary uplink of the Leeds branch is down; traffic is on the 4G backup."),
            _a("BranchWifiControllerDown", "snmp", "leeds-wlc-1:161",
               "Leeds branch Wi-Fi controller unreachable",
               "The Wi-Fi controller of the Leeds branch does not answer SNMP."),
        ),
        (
            "The Leeds office has no internet",
            "Tills in the Leeds shop are offline",
        ),
    ),
}  # fmt: skip

OPERATORS = ("a.novak", "j.reyes", "demo-operator", "k.mensah", "l.brandt")
ENGINEERS = ("r.silva", "m.okafor", "t.lindqvist", "p.ncube", "s.haddad")
HELPDESK = ("demo-helpdesk", "e.walsh", "h.kaur")
CALLERS = (
    "Dana Whitfield", "Sam Okoro", "Priya Raman", "Tom Ellery", "Grace Mbeki", "Luca Ferri", "Hannah Cole",
    "Omar Said", "Nina Petrova", "Ben Ashworth", "Chloe Martin", "Ravi Desai", "Isla Grant", "Jonas Berg",
)  # fmt: skip
ORGANISATIONS = (
    "Demo Retail Ltd", "Northwind Stores", "Harbour Foods", "Pennine Outdoor", "Castle Pharmacy",
    "Riverside Books", "Atlas Logistics",
)  # fmt: skip
# Ofcom's range for drama: numbers that belong to nobody.
PHONE_PREFIX = "+442079460"
RESOLUTION_NOTES = (
    "Rolled back the morning's release; errors stopped within minutes",
    "Restarted the stuck workers; the backlog drained",
    "Failed over to the standby; the primary is being rebuilt",
    "The upstream provider fixed a routing problem on their side",
    "Freed disk space (old logs) and added an alert at 80%",
    "Renewed an expired certificate",
    "Raised the connection pool limit after a traffic peak",
)
FALSE_POSITIVE_NOTES = (
    "Threshold too tight after last week's traffic change; raised it",
    "Planned maintenance that was not silenced",
    "The exporter restarted and reported a gap as an error",
)
UPDATE_TEXTS = (
    "We know about a problem with {service} and are working on it",
    "{service}: we have found the cause and are applying a fix",
    "{service}: a fix is in place and we are watching it recover",
)
SHIFT_LEADS = ("c.achebe", "d.kowalski", "f.moreau")
# Post-mortems: what made it possible, what made it worse, why we did not see it first, what we change.
ROOT_CAUSES = (
    "A configuration change raised the connection pool above what the database accepts; the change was "
    "not load-tested",
    "A certificate expired: the job that renews it had been failing without alerting anyone",
    "The disk filled with logs after log rotation stopped working in the last upgrade",
    "A release carried a query that scans a whole table under load; the load test does not cover it",
    "The upstream provider changed its routing; our traffic had no second path",
    "A worker leaks memory under the new traffic pattern and was restarted in a loop",
)
CONTRIBUTING_FACTORS = (
    "It happened during a shift handover, and the runbook for this service was out of date",
    "Two alerts for the same cause fired on different services and were worked separately at first",
    "The dashboard that shows this condition is not on the wall rotation",
    "The change went out on a Friday afternoon with fewer people around",
)
WHY_NOT_DETECTED = {
    "webshop": "Nothing watches the web shop's front end: our checks cover the services behind it, which "
    "were healthy while pages failed to render",
}
WHY_NOT_DETECTED_DEFAULT = (
    "The alert's threshold sat above the error rate customers already noticed",
    "The alert waits 15 minutes before firing; the first customers called within 10",
    "The failing path (one card type, one region) is a small share of traffic and stayed under every "
    "threshold",
)
RECOVERED = "Service recovered once the cause cleared; no change was made during the incident"
ACTION_ITEMS = (
    "Add a synthetic check of the customer journey that failed",
    "Alert on certificate expiry 21 days ahead",
    "Lower the error-rate threshold to what customers notice, and page on it",
    "Add the slow query to the load-test suite",
    "Write and rehearse the runbook for this failure",
    "Alert on disk usage at 80%",
    "Give the upstream link a second path",
)
