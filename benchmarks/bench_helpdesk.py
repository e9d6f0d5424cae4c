"""Figures for the helpdesk form: how well calls find their open incident and how well a new incident's
service and severity are suggested, on tests/data/helpdesk_cases.json; and how fast. Prints JSON.

- match_top1 / match_top3: of the calls about an open incident, the share with it first / in the top 3.
- false_attaches: calls about none of the open incidents whose best candidate reaches ATTACH_THRESHOLD
  (`call add` would attach them); correct_rejection: the share of those calls that don't.
- auto_attached / wrong_attaches: calls about an open incident that `call add` would attach to it /
  to another one.
- service_hit: the suggested service (with the service as the agent typed it) is the expected one;
  service_hit_words_only: the same from the caller's words alone; severity_hit: the suggested severity.
- fit_ms: fitting the suggester on 5,000 examples made from the history (repeated, with typos, words
  dropped and host names added; every other one followed by an alert's text, as the store's incident
  examples are), the median of 3 fits.
- rank_ms: ranking a call against 500 open incidents (titles from the history, alert texts from the
  case set), every call 5 times after a first ranking has read the incidents: p50 and p95;
  rank_first_ms is that first ranking, which reads every incident's words.

Usage: python benchmarks/bench_helpdesk.py [--examples N] [--incidents N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.matching import ATTACH_THRESHOLD, rank_matches
from noc_console.domain.severity import Severity
from noc_console.domain.suggest import Example, Suggester

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "helpdesk_cases.json"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def incident(
    number: int, title: str, service: str | None, severity: str, status: str, minutes: float
) -> Incident:
    at = NOW - timedelta(minutes=minutes)
    return Incident(
        id=number,
        title=title,
        severity=Severity(severity),
        status=IncidentStatus(status),
        service=service,
        detected_by=DetectionSource.MONITORING,
        source="am",
        opened_at=at,
        detected_at=at,
    )


def board(cases: dict[str, Any]) -> tuple[list[Incident], dict[int, str], dict[int, str]]:
    """The case set's incidents, their alert texts by id, and their keys by id."""
    incidents, descriptions, keys = [], {}, {}
    for number, spec in enumerate(cases["open_incidents"], 1):
        incidents.append(
            incident(
                number,
                spec["title"],
                spec["service"],
                spec["severity"],
                spec["status"],
                spec["detected_minutes_ago"],
            )
        )
        descriptions[number] = spec["description"]
        keys[number] = spec["key"]
    return incidents, descriptions, keys


def perturbed(text: str, rng: random.Random) -> str:
    """The text as someone else might have typed it: a typo, a word dropped, a host name added."""
    said = text.split()
    if len(said) > 3 and rng.random() < 0.5:
        del said[rng.randrange(len(said))]
    at = rng.randrange(len(said))
    word = said[at]
    if len(word) > 3:
        i = rng.randrange(len(word) - 1)
        said[at] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if rng.random() < 0.5:
        said.append(f"host-{rng.randrange(1000)}.example")
    return " ".join(said)


def quality(cases: dict[str, Any]) -> dict[str, Any]:
    incidents, descriptions, keys = board(cases)
    suggester = Suggester.fit(
        Example(h["text"], h["service"], Severity(h["severity"])) for h in cases["history"]
    )
    calls = cases["calls"]
    related = [c for c in calls if c["expect_match"] is not None]
    unrelated = [c for c in calls if c["expect_match"] is None]
    top1 = top3 = attached = wrong = false_attaches = 0
    for call in calls:
        ranked = rank_matches(
            call["service"],
            call["summary"],
            incidents,
            NOW,
            aliases=cases["services"],
            descriptions=descriptions,
        )
        found = [keys[c.incident.id] for c in ranked]
        attaches = bool(ranked) and ranked[0].score >= ATTACH_THRESHOLD
        if call["expect_match"] is None:
            false_attaches += attaches
            continue
        top1 += found[:1] == [call["expect_match"]]
        top3 += call["expect_match"] in found[:3]
        attached += attaches and found[0] == call["expect_match"]
        wrong += attaches and found[0] != call["expect_match"]
    with_service = [c for c in calls if c["expect_service"] is not None]
    service_hit = sum(
        suggester.suggest(c["summary"], c["service"] or None).service == c["expect_service"]
        for c in with_service
    )
    words_only = sum(suggester.suggest(c["summary"]).service == c["expect_service"] for c in with_service)
    severity_hit = sum(
        suggester.suggest(c["summary"], c["service"] or None).severity.value == c["expect_severity"]
        for c in calls
    )
    return {
        "cases": len(calls),
        "calls_about_an_open_incident": len(related),
        "calls_about_none": len(unrelated),
        "history": len(cases["history"]),
        "attach_threshold": ATTACH_THRESHOLD,
        "match_top1": round(top1 / len(related), 3),
        "match_top3": round(top3 / len(related), 3),
        "false_attaches": false_attaches,
        "correct_rejection": round((len(unrelated) - false_attaches) / len(unrelated), 3),
        "auto_attached": round(attached / len(related), 3),
        "wrong_attaches": wrong,
        "service_hit": round(service_hit / len(with_service), 3),
        "service_hit_words_only": round(words_only / len(with_service), 3),
        "severity_hit": round(severity_hit / len(calls), 3),
    }


def fit_ms(cases: dict[str, Any], count: int) -> float:
    """Like the store's training examples: half are incidents (a title, then an alert's text), half are
    calls. Each of the 3 fits gets examples of its own, so no word cache is warm from the one before."""
    rng = random.Random(7)
    history, alerts = cases["history"], [spec["description"] for spec in cases["open_incidents"]]
    timings = []
    for _ in range(3):
        examples = []
        for i in range(count):
            past = history[i % len(history)]
            text = perturbed(past["text"], rng)
            if i % 2:
                text += " " + perturbed(rng.choice(alerts), rng)
            examples.append(Example(text, past["service"], Severity(past["severity"])))
        start = time.perf_counter()
        suggester = Suggester.fit(examples)
        timings.append(time.perf_counter() - start)
        assert suggester.size == count
    return statistics.median(timings) * 1000


def rank_times(cases: dict[str, Any], count: int) -> tuple[float, float, float]:
    rng = random.Random(11)
    history, specs = cases["history"], cases["open_incidents"]
    incidents, descriptions = [], {}
    for number in range(count):
        example = history[number % len(history)]
        incidents.append(
            incident(
                number,
                f"{example['text']} ({number})",
                example["service"],
                example["severity"],
                "open",
                rng.uniform(1, 7 * 24 * 60),
            )
        )
        descriptions[number] = f"{specs[number % len(specs)]['description']} host-{number}.example"
    calls = cases["calls"]

    def rank(call: dict[str, Any]) -> float:
        start = time.perf_counter()
        rank_matches(
            call["service"],
            call["summary"],
            incidents,
            NOW,
            aliases=cases["services"],
            descriptions=descriptions,
        )
        return time.perf_counter() - start

    first = rank({"service": "", "summary": "first"})
    timings = sorted(rank(call) for _ in range(5) for call in calls)
    p50 = timings[len(timings) // 2]
    p95 = timings[int(len(timings) * 0.95)]
    return first * 1000, p50 * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--incidents", type=int, default=500)
    args = parser.parse_args()
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    figures = quality(cases)
    figures["fit_examples"] = args.examples
    figures["fit_ms"] = round(fit_ms(cases, args.examples), 1)
    first, p50, p95 = rank_times(cases, args.incidents)
    figures["rank_incidents"] = args.incidents
    figures["rank_first_ms"] = round(first, 1)
    figures["rank_p50_ms"] = round(p50, 2)
    figures["rank_p95_ms"] = round(p95, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
