"""People, on-call schedules and escalation policies, and the escalation planner: pure and clock-free.

- `on_call(schedule, at)`: who is on call at `at` and who is next (rotations hand off at a local time
  in the schedule's time zone, daylight saving included; overrides win while they last).
- `Policy`: ordered levels, each naming targets (people, `schedule:<name>`, or a provider such as a
  PagerDuty service) and channels, and a wait before the next level; the whole policy repeats
  `repeat` more times when nobody acknowledges.
- `due_steps(policy, started_at, now)`: every (level, pass) that is due by `now`; the engine pages
  each once, keyed by (escalation, level, target, channel, pass), so a restart never repeats nor
  skips one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from noc_console.domain.i18n import translate
from noc_console.domain.incidents import Incident
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.severity import Severity


class Channel(StrEnum):
    """How a page reaches someone."""

    VOICE = "voice"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    PAGERDUTY = "pagerduty"
    OPSGENIE = "opsgenie"
    SLACK = "slack"
    TEAMS = "teams"
    WEBHOOK = "webhook"


# Channels that reach a person at an address of theirs; the others reach a service (a provider).
PERSONAL_CHANNELS = frozenset({Channel.VOICE, Channel.SMS, Channel.WHATSAPP, Channel.EMAIL})
# Channels that open an alert at a service, which then reaches people its own way.
SERVICE_CHANNELS = frozenset({Channel.PAGERDUTY, Channel.OPSGENIE, Channel.WEBHOOK})
SCHEDULE_PREFIX = "schedule:"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Rotation(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can be paged, and where (numbers in E.164)."""

    name: str
    phone: str | None = None  # voice and SMS
    whatsapp: str | None = None
    email: str | None = None
    chat: str | None = None

    def address(self, channel: Channel) -> str | None:
        return {
            Channel.VOICE: self.phone,
            Channel.SMS: self.phone,
            Channel.WHATSAPP: self.whatsapp,
            Channel.EMAIL: self.email,
            Channel.SLACK: self.chat,
            Channel.TEAMS: self.chat,
        }.get(channel)


@dataclass(frozen=True, slots=True)
class Override:
    """Someone takes a schedule's shift from `starts_at` until `ends_at`."""

    person: str
    starts_at: datetime
    ends_at: datetime


# Rotations count shifts from this Monday, so that who is on call never depends on when the schedule
# was written down.
_ANCHOR = date(2024, 1, 1)


@dataclass(frozen=True, slots=True)
class Schedule:
    name: str
    time_zone: str
    rotation: Rotation
    handoff: time
    people: tuple[str, ...]
    overrides: tuple[Override, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def shift_start(self, at: datetime) -> datetime:
        """The hand-off that began the shift running at `at` (an aware datetime)."""
        local = at.astimezone(self.zone)
        day = local.date()
        if self.rotation is Rotation.WEEKLY:
            day -= timedelta(days=day.weekday())  # hand-offs on Mondays
        start = self._handoff_on(day)
        if start > at:
            step = timedelta(days=7 if self.rotation is Rotation.WEEKLY else 1)
            start = self._handoff_on(day - step)
        return start

    def next_handoff(self, at: datetime) -> datetime:
        step = timedelta(days=7 if self.rotation is Rotation.WEEKLY else 1)
        return self._handoff_on(self.shift_start(at).astimezone(self.zone).date() + step)

    def _handoff_on(self, day: date) -> datetime:
        return datetime.combine(day, self.handoff, tzinfo=self.zone)

    def rotation_person(self, at: datetime) -> str | None:
        if not self.people:
            return None
        shift_day = self.shift_start(at).astimezone(self.zone).date()
        length = 7 if self.rotation is Rotation.WEEKLY else 1
        index = (shift_day - _ANCHOR).days // length
        return self.people[index % len(self.people)]

    def person_at(self, at: datetime) -> str | None:
        for override in self.overrides:
            if override.starts_at <= at < override.ends_at:
                return override.person
        return self.rotation_person(at)


@dataclass(frozen=True, slots=True)
class OnCall:
    schedule: str
    now: str | None
    next: str | None
    next_at: datetime | None  # when `next` takes over


def on_call(schedule: Schedule, at: datetime) -> OnCall:
    """Who is on call at `at`, and who takes over next, when."""
    current = schedule.person_at(at)
    changes = [schedule.next_handoff(at)]
    changes += [o.starts_at for o in schedule.overrides if o.starts_at > at]
    changes += [o.ends_at for o in schedule.overrides if o.starts_at <= at < o.ends_at]
    # The first change that brings someone else (a hand-off to the same person is no change).
    for moment in sorted(changes):
        following = schedule.person_at(moment)
        if following != current:
            return OnCall(schedule.name, current, following, moment)
    horizon = max(changes)
    for _ in range(len(schedule.people) + 1):  # e.g. a rotation of one: nobody else ever comes
        horizon = schedule.next_handoff(horizon)
        following = schedule.person_at(horizon)
        if following != current:
            return OnCall(schedule.name, current, following, horizon)
    return OnCall(schedule.name, current, None, None)


@dataclass(frozen=True, slots=True)
class Level:
    targets: tuple[str, ...]  # people, "schedule:<name>", or provider names
    channels: tuple[Channel, ...]
    wait: timedelta  # before the next level (or the next pass) when nobody acknowledges


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    levels: tuple[Level, ...]
    repeat: int = 0  # passes after the first when nobody acknowledges
    services: tuple[str, ...] = ()  # empty: any service
    severities: tuple[Severity, ...] = ()  # empty: any severity
    auto: bool = False  # start by itself when an incident's acknowledge clock breaches

    @property
    def cycle(self) -> timedelta:
        return sum((level.wait for level in self.levels), timedelta(0))

    def applies_to(self, incident: Incident) -> bool:
        if self.services and incident.service not in self.services:
            return False
        return not self.severities or incident.severity in self.severities

    @property
    def specificity(self) -> int:
        return (2 if self.services else 0) + (1 if self.severities else 0)


def policy_for(policies: Iterable[Policy], incident: Incident, *, auto_only: bool = False) -> Policy | None:
    """The most specific policy for the incident's service and severity (services and severities, then
    services, then severities, then any), the first written among equals."""
    matching = [p for p in policies if p.applies_to(incident) and (p.auto or not auto_only)]
    if not matching:
        return None
    best = max(p.specificity for p in matching)
    return next(p for p in matching if p.specificity == best)


@dataclass(frozen=True, slots=True, order=True)
class Step:
    """One level of one pass of a policy, due at `due_at` (pass 0 is the first)."""

    due_at: datetime
    pass_: int
    level: int  # 0-based


def due_steps(policy: Policy, started_at: datetime, now: datetime) -> list[Step]:
    """Every step due by `now` (inclusive), oldest first. Level 1 is due at the start; each next level
    after the previous one's wait; a pass begins when the last level's wait is over."""
    steps: list[Step] = []
    if not policy.levels:
        return steps
    for pass_ in range(policy.repeat + 1):
        offset = started_at + policy.cycle * pass_
        for index, level in enumerate(policy.levels):
            if offset > now:
                return steps
            steps.append(Step(offset, pass_, index))
            offset += level.wait
    return steps


def next_step_at(policy: Policy, started_at: datetime, now: datetime) -> datetime | None:
    """When the next step is due after `now`, or None when the policy has run its course."""
    done = len(due_steps(policy, started_at, now))
    total = len(policy.levels) * (policy.repeat + 1)
    if done >= total:
        return None
    pass_, level = divmod(done, len(policy.levels))
    return started_at + policy.cycle * pass_ + sum((lv.wait for lv in policy.levels[:level]), timedelta(0))


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """One page of a step: the target, the person behind it (a schedule's on-call), where, how."""

    key: str
    level: int
    pass_: int
    target: str
    person: str | None
    channel: Channel
    address: str | None
    provider: str | None
    problem: str | None = None  # why it cannot be sent (shown in red; written, never dropped)


@dataclass(frozen=True, slots=True)
class Directory:
    """What the planner resolves targets with: people, schedules, and providers by channel."""

    people: Mapping[str, Person] = field(default_factory=dict)
    schedules: Mapping[str, Schedule] = field(default_factory=dict)
    # provider name -> the channels it carries
    providers: Mapping[str, frozenset[Channel]] = field(default_factory=dict)

    def provider_for(self, channel: Channel, named: str | None = None) -> str | None:
        if named is not None:
            return named if channel in self.providers.get(named, frozenset()) else None
        return next((name for name, carried in self.providers.items() if channel in carried), None)


def plan_pages(
    escalation_id: int, policy: Policy, step: Step, directory: Directory, at: datetime
) -> list[PlannedPage]:
    """The pages of one step, each with its idempotency key."""
    level = policy.levels[step.level]
    pages = []
    for target in level.targets:
        for channel in level.channels:
            key = f"esc{escalation_id}:L{step.level + 1}:{target}:{channel.value}:P{step.pass_}"
            pages.append(_resolve(key, step, target, channel, directory, at))
    return pages


def _resolve(
    key: str, step: Step, target: str, channel: Channel, directory: Directory, at: datetime
) -> PlannedPage:
    def page(
        person: str | None, address: str | None, provider: str | None, problem: str | None
    ) -> PlannedPage:
        return PlannedPage(key, step.level, step.pass_, target, person, channel, address, provider, problem)

    if target in directory.providers:  # a service such as PagerDuty, Slack, a webhook
        if channel not in directory.providers[target]:
            problem = translate("domain.paging", "provider {provider} does not carry {channel}")
            return page(None, None, None, problem.format(provider=repr(target), channel=channel.value))
        return page(None, None, target, None)
    if channel in SERVICE_CHANNELS:
        problem = translate(
            "domain.paging", "{target} is not a provider: {channel} pages go to a provider target"
        )
        return page(None, None, None, problem.format(target=target, channel=channel.value))
    person = target
    if target.startswith(SCHEDULE_PREFIX):
        schedule = directory.schedules.get(target.removeprefix(SCHEDULE_PREFIX))
        if schedule is None:
            problem = translate("domain.paging", "no schedule {schedule}")
            return page(None, None, None, problem.format(schedule=repr(target.removeprefix(SCHEDULE_PREFIX))))
        found = schedule.person_at(at)
        if found is None:
            problem = translate("domain.paging", "nobody is on call for {schedule}")
            return page(None, None, None, problem.format(schedule=schedule.name))
        person = found
    who = directory.people.get(person)
    provider = directory.provider_for(channel)
    if who is None:
        problem = translate("domain.paging", "no person {person}")
        return page(person, None, provider, problem.format(person=repr(person)))
    address = who.address(channel)
    if channel in PERSONAL_CHANNELS and not address:
        problem = translate("domain.paging", "{person} has no {channel} address")
        return page(person, None, provider, problem.format(person=person, channel=channel.value))
    if provider is None:
        problem = translate("domain.paging", "no provider carries {channel}")
        return page(person, address, None, problem.format(channel=channel.value))
    return page(person, address, provider, None)


# --- checking what people type -------------------------------------------------------------------
def check_time_zone(field_name: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        problem = translate("domain.paging", "{value} is not a time zone (e.g. Europe/London)")
        raise InvalidInput(field_name, problem.format(value=repr(value))) from None
    return value


def check_handoff(field_name: str, value: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        problem = translate("domain.paging", "{value} is not a time of day (HH:MM)")
        raise InvalidInput(field_name, problem.format(value=repr(value)))
    return time(int(match.group(1)), int(match.group(2)))


def check_email(field_name: str, value: str) -> str:
    if len(value) > 320 or not _EMAIL.fullmatch(value):
        problem = translate("domain.paging", "{value} is not an e-mail address")
        raise InvalidInput(field_name, problem.format(value=repr(value)))
    return value


def check_policy_targets(
    where: str,
    policy: Policy,
    people: Sequence[str],
    schedules: Sequence[str],
    providers: Mapping[str, frozenset[Channel]],
) -> None:
    """Every target names a person, a schedule or a provider: a typo is refused at entry."""
    for index, level in enumerate(policy.levels):
        if not level.targets:
            problem = translate("domain.paging", "must name at least one target")
            raise InvalidInput(f"{where}.levels[{index}].targets", problem)
        if not level.channels:
            problem = translate("domain.paging", "must name at least one channel")
            raise InvalidInput(f"{where}.levels[{index}].channels", problem)
        for target in level.targets:
            name = target.removeprefix(SCHEDULE_PREFIX)
            known = (
                name in schedules
                if target.startswith(SCHEDULE_PREFIX)
                else (target in people or target in providers)
            )
            if not known:
                problem = translate(
                    "domain.paging", "{target} is not a person, a schedule:<name> or a provider"
                )
                raise InvalidInput(f"{where}.levels[{index}].targets", problem.format(target=repr(target)))
