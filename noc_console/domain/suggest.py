"""A service and a severity for a new customer-detected incident, suggested from the caller's words.

Learned from this database's own history (past incidents' titles and alert texts, past calls' words,
each with the service and severity its incident had): two multinomial naive Bayes models, with add-one
(Laplace) smoothing, over the words and the letter trigrams of the words (so "paymnet" still looks
like "payment"). Pure Python and Qt-free; refitting on 5,000 examples takes a fraction of a second, so
the console refits as history grows rather than updating a model in place.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from noc_console.domain.matching import STOP_WORDS, is_typo, service_key, words
from noc_console.domain.severity import Severity

# With no history, or no word of the call ever seen: a customer-visible problem is at least major until
# someone assesses it (critical would be a guess; minor would leave a real outage waiting).
FALLBACK_SEVERITY = Severity.MAJOR
# A typed service we don't know is kept as typed unless the words point elsewhere at least this surely
# (the agent typed "checkout" and history says that is payments).
KEEP_TYPED_BELOW = 0.5

_SMOOTHING = 1.0  # add-one
_TYPED_WEIGHT = 2.0  # the typed service's words count twice the caller's
_TRIGRAMS = 1.0  # the letter trigrams of one word weigh this much together
_TRIGRAMS_UP_TO = 30  # letters: a longer "word" (a hash, a URL, a paste) is read as a whole only


@dataclass(frozen=True, slots=True)
class Example:
    """What was said or alerted (`text`), and the service and severity its incident had."""

    text: str
    service: str | None
    severity: Severity


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A service (None: no idea) and a severity, each with the model's confidence from 0 to 1 (0: not
    learned, a fallback or the service as typed; 1: the agent typed a service we know, or a typo of one)."""

    service: str | None
    service_confidence: float
    severity: Severity
    severity_confidence: float


# What a text is made of (words, word pairs) and how many of each. A fit counts these per label, then
# spreads each distinct one into its features (a word's trigrams) once per label, not once per text.
Units = Mapping[str, float]
Expand = Callable[[str], Sequence[tuple[str, float]]]


@lru_cache(maxsize=65536)
def _word_and_trigrams(word: str) -> tuple[tuple[str, float], ...]:
    """A word, and its letter trigrams (together weighing `_TRIGRAMS`): "paymnet" still shares most
    trigrams with "payment", "Zahlungen" with "Zahlung"."""
    if len(word) > _TRIGRAMS_UP_TO:
        return (("w " + word, 1.0),)
    padded = f"<{word}>"
    grams = [padded[i : i + 3] for i in range(len(padded) - 2)]
    return (("w " + word, 1.0), *(("c " + gram, _TRIGRAMS / len(grams)) for gram in grams))


def _itself(unit: str) -> tuple[tuple[str, float], ...]:
    return ((unit, 1.0),)


def _content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOP_WORDS]


def _service_units(text: str, typed: str | None) -> Units:
    """Content words; the typed service's words count `_TYPED_WEIGHT` times."""
    said: dict[str, float] = defaultdict(float)
    for word in _content_words(text):
        said[word] += 1
    for word in _content_words(typed or ""):
        said[word] += _TYPED_WEIGHT
    return said


def _severity_units(text: str) -> list[str]:
    """Every word, stop words included ("all", "nobody", "can", "not" say how bad), and word pairs
    ("nobody can", "all users"); each once per text: saying "down" twice is not twice as bad."""
    said = words(text)
    return list(dict.fromkeys([*said, *(f"{a} {b}" for a, b in pairwise(said))]))


class _NaiveBayes:
    """Multinomial naive Bayes over weighted features, add-one smoothed."""

    def __init__(self, rows: Iterable[tuple[Iterable[str], str]], expand: Expand) -> None:
        self._expand = expand
        units: dict[str, Counter[str]] = defaultdict(Counter)
        documents: Counter[str] = Counter()
        for said, label in rows:
            documents[label] += 1
            units[label].update(said)
        counts: dict[str, dict[str, float]] = {}
        for label, counted in units.items():
            label_counts: dict[str, float] = defaultdict(float)
            for unit, times in counted.items():
                for feature, weight in expand(unit):
                    label_counts[feature] += times * weight
            counts[label] = label_counts
        self.vocabulary = frozenset(feature for label_counts in counts.values() for feature in label_counts)
        size = len(self.vocabulary)
        total_documents = sum(documents.values())
        self.labels = sorted(counts)
        self.log_prior = {
            label: math.log((documents[label] + 1) / (total_documents + len(counts))) for label in counts
        }
        self.log_unseen: dict[str, float] = {}
        self.log_likelihood: dict[str, dict[str, float]] = {}
        for label, label_counts in counts.items():
            denominator = math.log(sum(label_counts.values()) + _SMOOTHING * size)
            self.log_unseen[label] = math.log(_SMOOTHING) - denominator
            self.log_likelihood[label] = {
                feature: math.log(count + _SMOOTHING) - denominator for feature, count in label_counts.items()
            }

    def best(self, said: Units) -> tuple[str, float] | None:
        """The likeliest label and its posterior probability; None when no feature was ever seen."""
        features: dict[str, float] = defaultdict(float)
        for unit, times in said.items():
            for feature, weight in self._expand(unit):
                if feature in self.vocabulary:
                    features[feature] += times * weight
        if not features:
            return None
        scores = {}
        for label in self.labels:
            likelihood, unseen = self.log_likelihood[label], self.log_unseen[label]
            scores[label] = self.log_prior[label] + sum(
                weight * likelihood.get(feature, unseen) for feature, weight in features.items()
            )
        top = max(scores.values())
        total = sum(math.exp(score - top) for score in scores.values())
        label = max(self.labels, key=scores.__getitem__)
        return label, 1 / total


class Suggester:
    """Suggests a new incident's service and severity from what the caller said.

    Fit with `Suggester.fit(examples)` (or the constructor): a fitted suggester never changes, so the
    console fits a new one on the grown history and swaps it in; `size` is how many examples it saw.
    """

    def __init__(self, examples: Iterable[Example] = ()) -> None:
        kept = list(examples)
        self._size = len(kept)
        self._service_names = {service_key(e.service): e.service for e in kept if e.service}
        self._services = _NaiveBayes(
            ((_content_words(e.text), service_key(e.service)) for e in kept if e.service), _word_and_trigrams
        )
        self._severities = _NaiveBayes(((_severity_units(e.text), e.severity.value) for e in kept), _itself)

    @classmethod
    def fit(cls, examples: Iterable[Example]) -> Suggester:
        """A suggester that learned from `examples` (none: it falls back to major, confidence 0)."""
        return cls(examples)

    @property
    def size(self) -> int:
        """How many examples it learned from."""
        return self._size

    def suggest(self, text: str, typed_service: str | None = None) -> Suggestion:
        service, service_confidence = self._service(text, typed_service)
        severity, severity_confidence = FALLBACK_SEVERITY, 0.0
        guess = self._severities.best(dict.fromkeys(_severity_units(text), 1.0))
        if guess is not None:
            severity, severity_confidence = Severity(guess[0]), guess[1]
        return Suggestion(service, round(service_confidence, 3), severity, round(severity_confidence, 3))

    def _service(self, text: str, typed: str | None) -> tuple[str | None, float]:
        typed = (typed or "").strip() or None
        if typed is not None:
            key = service_key(typed)
            if key in self._service_names:
                return self._service_names[key], 1.0
            close = [name for known, name in self._service_names.items() if key and is_typo(key, known)]
            if len(close) == 1:
                return close[0], 1.0
        guess = self._services.best(_service_units(text, typed))
        if guess is None or (typed is not None and guess[1] < KEEP_TYPED_BELOW):
            return typed, 0.0
        return self._service_names[guess[0]], guess[1]
