"""Which open incidents a helpdesk call is probably about, best first, each with its reasons in words.

Pure and Qt-free. The call form re-ranks on every (debounced) keystroke, so the words of an incident
are read once, cached by its text, and a ranking against 500 open incidents takes about a millisecond.
Three signals make a score from 0 to 1: the service (as typed: exactly, through an alias, or with a
typo; or named in the summary), the words the call shares with the incident (typos tolerated, a word
that many open incidents share counts less), and how recently the incident was detected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import groupby

from noc_console.domain.i18n import translate
from noc_console.domain.incidents import Incident

# `call add` attaches a call to its best candidate at or above this score without asking. Set on
# tests/data/helpdesk_cases.json, where no unrelated call scores above 0.66: the same service and one
# distinctive word make 0.67 at most, and words alone on another service rarely more than 0.6; the same
# service and two distinctive words in an incident detected within the hour reach it.
ATTACH_THRESHOLD = 0.68
# Candidates at or below this are not worth a line in the form: one common word, nothing else.
SHOW_ABOVE = 0.25

_SERVICE_WEIGHT = 0.5  # the same service alone scores this much
_WORDS_WEIGHT = 0.85  # words in common, saturating towards this
_WORDS_HALF = 1.5  # this much word evidence (one distinctive word counts 1) is half of _WORDS_WEIGHT
_FUZZY = 0.7  # a word matched with a one-letter typo counts this much of an exact one
_DESCRIPTION = 0.8  # a word found only in the alerts' texts, not in the title
_RECENCY_SHARE = 0.2  # an incident detected days ago keeps 80 % of its score; one detected now, all
_RECENCY_MINUTES = 120.0  # ... decaying with this time constant
_OTHER_SERVICE = 0.75  # the agent typed a service we know, and this incident is on another one
_FUZZY_MIN = 5  # words shorter than this match exactly or not at all ("mail" is not "main")
_FUZZY_MAX = 30  # nor longer ones: a hash, a URL, a 100,000-letter paste

# Service signals: how sure we are that the call is about the incident's service.
_TYPED = 1.0
_TYPED_WITH_TYPO = 0.85
_MENTIONED = 0.8

# English words that say nothing about which incident it is, plus what every helpdesk call says.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren as at be because been before
    being below between both but by can cannot could couldn did didn do does doesn doing don down during
    each few for from further had hadn has hasn have haven having he her here hers herself him himself
    his how i if in into is isn it its itself just let ll me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own re same she should shouldn so some such than that
    the their theirs them themselves then there these they this those through to too under until up ve
    very was wasn we were weren what when where which while who whom why will with won would wouldn you
    your yours yourself yourselves
    anyone anything everyone everything get gets getting got hello hi please thanks thank help issue
    issues problem problems call calling called customer customers caller says said say tell told today
    still since someone something keep keeps working work works hey ok okay
"""

# Scripts written without spaces between words: their words are read as overlapping pairs of letters.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_ASCII_WORD = re.compile("[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open incident the call may be about: `score` from 0 to 1, `reasons` in the agent's words."""

    incident: Incident
    score: float
    reasons: tuple[str, ...]


# --- words -------------------------------------------------------------------------------------------
def _unspaced(char: str) -> bool:
    code = ord(char)
    return code >= _UNSPACED[0][0] and any(low <= code <= high for low, high in _UNSPACED)


def _strip_marks(word: str) -> str:
    """Without accents and other non-spacing marks: `café` and `cafe` compare equal."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _stem(word: str) -> str:
    """English plural and verb endings off ("payments", "failing" -> "payment", "fail"), nothing more."""
    if len(word) < 4 or not word.isascii() or not word.isalpha() or word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# As written and as stemmed ("does" is compared as "doe").
STOP_WORDS = frozenset(form for word in _STOP_WORDS_TEXT.split() for form in (word, _stem(word)))


def _raw_words(text: str) -> Iterator[str]:
    """NFKC and case-folded runs of letters, digits and marks; unspaced scripts as pairs of letters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        yield from _ASCII_WORD.findall(folded)
        return
    cleaned = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in folded)
    for run in cleaned.split():
        for unspaced, group in groupby(run, _unspaced):
            part = "".join(group)
            if not unspaced or len(part) == 1:
                yield part
            else:
                yield from (part[i : i + 2] for i in range(len(part) - 1))


@lru_cache(maxsize=65536)
def _compared(shown: str) -> str:
    return _stem(_strip_marks(shown))


@lru_cache(maxsize=16384)
def word_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Each word of `text` as (shown, compared): shown is NFKC and case-folded, compared is also free of
    accents and lightly stemmed. Single letters and digits are left out; single ideographs are kept."""
    pairs = []
    for shown in _raw_words(text):
        compared = _compared(shown)
        if len(compared) > 1 or (compared and not compared.isascii() and _unspaced(compared)):
            pairs.append((shown, compared))
    return tuple(pairs)


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """The words of `text` as they are compared (see `word_pairs`), stop words included."""
    return tuple(compared for _, compared in word_pairs(text))


def _deletions(word: str) -> frozenset[str]:
    """The word and every way of dropping one letter: two words share one when they are a typo apart
    (a letter wrong, missing, extra, or two swapped)."""
    if not _FUZZY_MIN <= len(word) <= _FUZZY_MAX:
        return frozenset((word,))
    return frozenset([word, *(word[:i] + word[i + 1 :] for i in range(len(word)))])


@lru_cache(maxsize=4096)
def service_key(name: str) -> str:
    """A service name as compared: "Web Shop", "web-shop" and "webshop" are one."""
    return "".join(words(name))


def is_typo(typed: str, known: str) -> bool:
    """Equal, or a typo apart: two neighbours swapped in a short name, one edit up to 7 letters, two
    beyond."""
    if typed == known:
        return True
    longest = max(len(typed), len(known))
    if longest <= 4:
        return len(typed) == len(known) and _edits(typed, known, 1) == 1 and sorted(typed) == sorted(known)
    return _edits(typed, known, 1 if longest <= 7 else 2) <= (1 if longest <= 7 else 2)


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between `a` and `b`, or `limit + 1` once it is over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


# --- incidents, read once ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _IncidentWords:
    weights: Mapping[str, float]  # word -> 1 in the title, less when only in the alerts' texts
    typo_keys: Mapping[str, str]  # a word, or a long word less one letter -> that word
    keys: frozenset[str]  # of typo_keys, for a quick test of whether the call shares anything at all
    service: str  # compact


@lru_cache(maxsize=8192)
def _incident_words(title: str, service: str, description: str) -> _IncidentWords:
    """The words of an incident, but not those of its service: the service signal counts those."""
    weights: dict[str, float] = {}
    for word in words(description):
        weights[word] = _DESCRIPTION
    weights.update((word, 1.0) for word in words(title))
    for word in (*STOP_WORDS, *words(service)):
        weights.pop(word, None)
    typo_keys: dict[str, str] = {}
    for word in weights:
        for key in _deletions(word):
            typo_keys.setdefault(key, word)
    typo_keys.update((word, word) for word in weights)  # an exact word wins over a typo of another
    return _IncidentWords(weights, typo_keys, frozenset(typo_keys), service_key(service))


# --- services ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _ServiceSignal:
    strength: float
    reason: str


class _Services:
    """The services this ranking knows (those of the incidents and of `aliases`), and which of them the
    call names: as typed in the service field, or anywhere in the summary."""

    def __init__(self, incidents: Sequence[Incident], aliases: Mapping[str, Sequence[str]]) -> None:
        self.names: dict[str, str] = {}  # compact name -> the name as written
        phrases: list[tuple[str, str]] = []  # (service, a name or alias as written)
        for service in sorted({*aliases, *(i.service for i in incidents if i.service)}):
            self.names.setdefault(service_key(service), service)
            phrases.append((service_key(service), service))
        for service, others in aliases.items():
            phrases += [(service_key(service), other) for other in others]
        self._phrases = [(service, written, words(written)) for service, written in phrases]
        self._phrases = [phrase for phrase in self._phrases if phrase[0] and phrase[2]]

    def resolve(self, typed: str) -> tuple[str, _ServiceSignal] | None:
        """The service the agent typed: by name, by alias, or a typo of either."""
        compact = service_key(typed)
        if not compact:
            return None
        if compact in self.names:
            return compact, _ServiceSignal(_TYPED, translate("domain.matching", "same service"))
        as_typed = repr(typed.strip())
        for service, written, _ in self._phrases:
            if service_key(written) == compact:
                reason = translate("domain.matching", "same service, as {typed}").format(typed=as_typed)
                return service, _ServiceSignal(_TYPED, reason)
        for service, written, _ in self._phrases:
            if is_typo(compact, service_key(written)):
                reason = translate("domain.matching", "same service, typed {typed}").format(typed=as_typed)
                return service, _ServiceSignal(_TYPED_WITH_TYPO, reason)
        return None

    def mentioned(self, summary_words: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
        """The services whose name or alias the summary contains as whole words, with those phrases."""
        found: dict[str, list[tuple[str, ...]]] = {}
        present = set(summary_words)
        for service, _, phrase in self._phrases:
            if not present.issuperset(phrase):
                continue
            size = len(phrase)
            starts = range(len(summary_words) - size + 1)
            if any(tuple(summary_words[i : i + size]) == phrase for i in starts):
                found.setdefault(service, []).append(phrase)
        return found

    def written(self, service: str, phrase: tuple[str, ...]) -> str:
        return next(written for name, written, words in self._phrases if name == service and words == phrase)


# --- ranking -----------------------------------------------------------------------------------------
def rank_matches(
    service: str | None,
    summary: str,
    incidents: Sequence[Incident],
    now: datetime,
    *,
    aliases: Mapping[str, Sequence[str]] = {},  # read only
    descriptions: Mapping[int, str] = {},  # read only
    limit: int = 5,
) -> list[Candidate]:
    """The open incidents the call (service as typed, the caller's words) is likely about, best first,
    at most `limit`, each scoring above `SHOW_ABOVE`. Equal scores: the most recently detected first.

    `aliases` maps a service to other words customers use for it; `descriptions` maps an incident's id
    to its alerts' texts. The typed service, when it names a known service, is a service signal only;
    otherwise its words count with the summary's.
    """
    open_incidents = [incident for incident in incidents if incident.is_open]
    if not open_incidents or limit <= 0:
        return []
    services = _Services(open_incidents, aliases)
    typed = services.resolve(service) if service else None
    summary_pairs = word_pairs(summary)
    mentions = services.mentioned([compared for _, compared in summary_pairs])
    mentions_text = translate("domain.matching", "call mentions {service}")
    signals = {
        name: _ServiceSignal(
            _MENTIONED, mentions_text.format(service=repr(services.written(name, phrases[0])))
        )
        for name, phrases in mentions.items()
    }
    # The words of a name or alias the summary contains ("card payments", "wi-fi") are one piece of
    # evidence, not one per word.
    phrase_of = {word: phrase for phrases in mentions.values() for phrase in phrases for word in phrase}
    query_pairs = list(summary_pairs)
    typed_words: set[str] = set()  # the service field, when it names a service: a service signal only
    if typed is not None:
        signals[typed[0]] = typed[1]
        typed_words.update(words(service or ""))
    elif service:
        query_pairs += word_pairs(service)
    query: dict[str, tuple[str, frozenset[str]]] = {}  # compared -> (shown, typo keys)
    for shown, compared in query_pairs:
        if compared not in STOP_WORDS and compared not in typed_words and compared not in query:
            query[compared] = (shown, _deletions(compared))

    # First pass: which words each incident shares with the call; how many incidents share each word.
    any_key = frozenset().union(*(keys for _, keys in query.values()))
    shared_by: dict[str, int] = dict.fromkeys(query, 0)
    found: list[tuple[Incident, _ServiceSignal | None, list[tuple[str, float]]]] = []
    for incident in open_incidents:
        known = _incident_words(incident.title, incident.service or "", descriptions.get(incident.id, ""))
        signal = signals.get(known.service) if known.service else None
        if any_key.isdisjoint(known.keys):
            if signal is not None:
                found.append((incident, signal, []))
            continue
        weights, typo_keys, keyset = known.weights, known.typo_keys, known.keys
        hits: list[tuple[str, float]] = []
        for compared, (_, keys) in query.items():
            weight = weights.get(compared)
            if weight is None and len(keys) > 1 and not keys.isdisjoint(keyset):
                weight = _FUZZY * max(weights[typo_keys[key]] for key in keys if key in typo_keys)
            if weight is not None:
                hits.append((compared, weight))
                shared_by[compared] += 1
        if hits or signal is not None:
            found.append((incident, signal, hits))

    candidates = []
    for incident, signal, hits in found:
        strongest_of: dict[tuple[str, ...], float] = {}
        for word, weight in hits:
            phrase = phrase_of.get(word, (word,))
            strongest_of[phrase] = max(strongest_of.get(phrase, 0.0), weight / math.sqrt(shared_by[word]))
        evidence = sum(strongest_of.values())
        words_score = evidence / (evidence + _WORDS_HALF)
        strength = signal.strength if signal else 0.0
        base = 1 - (1 - _SERVICE_WEIGHT * strength) * (1 - _WORDS_WEIGHT * words_score)
        if typed is not None and signal is None:
            base *= _OTHER_SERVICE
        age_minutes = max(0.0, (now - incident.detected_at).total_seconds() / 60)
        recency = math.exp(-age_minutes / _RECENCY_MINUTES)
        score = base * (1 - _RECENCY_SHARE + _RECENCY_SHARE * recency)
        if score <= SHOW_ABOVE:
            continue
        reasons = [signal.reason] if signal else []
        if hits:
            strongest = sorted(hits, key=lambda hit: -hit[1] / math.sqrt(shared_by[hit[0]]))
            shared = ", ".join(query[word][0] for word, _ in strongest[:4])
            reasons.append(translate("domain.matching", "words: {words}").format(words=shared))
        reasons.append(_detected_text(age_minutes))
        candidates.append(Candidate(incident, round(score, 3), tuple(reasons)))
    candidates.sort(key=lambda c: (-c.score, -c.incident.detected_at.timestamp(), c.incident.id))
    return candidates[:limit]


def _detected_text(minutes: float) -> str:
    """When the incident was detected, as a reason ("detected 4 min ago"; in days from two days on)."""
    if minutes < 1:
        return translate("domain.matching", "detected just now")
    if minutes < 90:
        return translate("domain.matching", "detected {n} min ago").format(n=int(minutes))
    if minutes < 48 * 60:
        return translate("domain.matching", "detected {n} h ago").format(n=int(minutes // 60))
    return translate("domain.matching", "detected {n} days ago").format(n=int(minutes // (24 * 60)))
