"""The organisation's filled-in policy fields, as stored with each policy version."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Body(StrEnum):
    """Who the employer informs and evaluates the control with (CAO 81 art. 7 and 9), in art. 7's order:
    the works council, else the committee for prevention and protection at work, else the union
    delegation, else the employees themselves."""

    WORKS_COUNCIL = "works_council"
    PREVENTION_COMMITTEE = "prevention_committee"
    UNION_DELEGATION = "union_delegation"
    EMPLOYEES = "employees"


class ControlMode(StrEnum):
    PERMANENT = "permanent"
    PERIODIC = "periodic"
    EVENT = "event"


class WorkingHours(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: time
    end: time
    # ISO weekdays, 1 = Monday.
    days: tuple[int, ...] = (1, 2, 3, 4, 5)


class Break(BaseModel):
    """A break within the working hours (policy 2.1.1: private use is allowed during breaks)."""

    model_config = ConfigDict(frozen=True)

    start: time
    end: time


# What a person may type in the numeric fields: (lowest, highest). A year-long test period, ten years of
# retention, 10 TB a day, a million refusals, a whole day's minutes: anything past that is a typing slip.
# Stored versions are not held to these, so a casebook written before a bound was set still opens.
BOUNDS: dict[str, tuple[int, int]] = {
    "test_period_max_days": (1, 366),
    "retention_days": (1, 3650),
    "upload_mb_per_day": (1, 10_000_000),
    "download_mb_per_day": (1, 10_000_000),
    "denied_per_day": (1, 1_000_000),
    "private_minutes_per_day": (1, 1440),
    "offensive_visits_per_day": (1, 1000),
    "blocked_visits_per_day": (1, 1000),
    "min_group_size": (1, 1000),
}


class PolicySettings(BaseModel):
    """Every field has an empty default: a new casebook starts with nothing filled in."""

    model_config = ConfigDict(frozen=True)

    organisation_name: str = ""
    # Who employees turn to about their data (GDPR art. 13(1)(a) and (b)); shown in the privacy notice.
    controller_contact: str = ""
    dpo_contact: str = ""  # the data protection officer, where the organisation has one
    date_in_force: date | None = None
    # The bodies the organisation has; (EMPLOYEES,) when it has none (art. 7 then points at the employees).
    bodies_present: tuple[Body, ...] = ()
    consultation_body: tuple[Body, ...] = ()
    consultation_date: date | None = None
    evaluation_body: tuple[Body, ...] = ()
    purposes: tuple[int, ...] = ()
    control_mode: tuple[ControlMode, ...] = ()
    test_period_max_days: int | None = None
    control_justification: str = ""
    control_means: str = ""
    blocked_sites: tuple[str, ...] = ()
    official_accounts: tuple[str, ...] = ()
    social_media_goals: tuple[str, ...] = ()
    retention_days: int | None = None
    storage_location: str = ""
    mail_domains: tuple[str, ...] = ()
    working_hours: WorkingHours | None = None
    breaks: tuple[Break, ...] = ()  # on the working days, left out of the private-use count
    sanctions: tuple[str, ...] = ()
    keep_full_urls: bool = False
    # Thresholds of the irregularity rules (issue: global control, policy 2.3).
    upload_mb_per_day: int = 200
    download_mb_per_day: int = 2048
    denied_per_day: int = 25
    private_minutes_per_day: int = 60
    # From how many pages opened in a day (visits, not requests: adverts and embedded content do not count).
    offensive_visits_per_day: int = 1
    blocked_visits_per_day: int = 2
    # The global view folds every figure about fewer people than this (one person's use must not show).
    min_group_size: int = 5
