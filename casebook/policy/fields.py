"""The policy's fields: what each holds, how a person types it, how the text shows it.

Two lists, kept apart on purpose:
- SETTINGS: what the administrator fills in (stored in PolicySettings);
- PLACEHOLDERS: the `{{name}}` blanks a policy text may use, each rendered
  from one or more settings (the text says "voornaam.familienaam@{{mail_domain}}",
  the setting holds all the organisation's mail domains).
A setting is asked when the current text uses it or when the law or the app
needs it whatever the text says (`always`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from casebook.clock import parse_day
from casebook.errors import Refused
from casebook.formatting import domain_text, long_date, number
from casebook.i18n import t
from schema.policy import BOUNDS, Body, ControlMode, PolicySettings, WorkingHours

MAX_ADVISED_RETENTION_DAYS = 90  # the EU working party's three months (policy footnote 16)

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
_DAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")


def expected(name: str) -> str:
    """What the field takes, in words: the form a person sees beside the field and in a refusal."""
    low, high = BOUNDS.get(name, (0, 0))
    return t(f"policy.field.{name}.format", low=number(low), high=number(high))


def _invalid(name: str, value: str) -> Refused:
    return Refused(
        "policy.field",
        "refused.policy_field",
        field=t(f"policy.field.{name}.label"),
        value=value if len(value) <= 60 else value[:57] + "...",  # a pasted page is not echoed whole
        expected=expected(name),
    )


def _items(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


# CAO 81 art. 7: who is informed (and with whom the control is evaluated), in this order of precedence.
ART7_ORDER: tuple[Body, ...] = (Body.WORKS_COUNCIL, Body.PREVENTION_COMMITTEE, Body.UNION_DELEGATION, Body.EMPLOYEES)


def designated_body(present: tuple[Body, ...]) -> Body | None:
    """The body art. 7 designates for an organisation with these bodies; None while that is not filled in."""
    return next((body for body in ART7_ORDER if body in present), None)


def _present(text: str) -> tuple[Body, ...]:
    """The bodies the organisation has; 'none' (geen) means it has none: the employees are informed themselves."""
    if text.strip().lower() in {"none", "geen", "geen enkel", "-"}:
        return (Body.EMPLOYEES,)
    chosen = _bodies(text, ART7_ORDER)
    if Body.EMPLOYEES in chosen and len(chosen) > 1:
        raise ValueError(text)  # "only the employees" and a body at once contradict each other
    return chosen


def _bodies(text: str, allowed: tuple[Body, ...]) -> tuple[Body, ...]:
    aliases = {
        "ondernemingsraad": Body.WORKS_COUNCIL, "or": Body.WORKS_COUNCIL,
        "comité": Body.PREVENTION_COMMITTEE, "comite": Body.PREVENTION_COMMITTEE, "cpbw": Body.PREVENTION_COMMITTEE,
        "vakbondsafvaardiging": Body.UNION_DELEGATION, "vakbond": Body.UNION_DELEGATION,
        "werknemers": Body.EMPLOYEES, "de werknemers": Body.EMPLOYEES,
    }  # fmt: skip
    chosen = []
    for item in _items(text.lower()):
        body = aliases.get(item) or Body(item.replace("-", "_").replace(" ", "_"))
        if body not in allowed:
            raise ValueError(item)
        if body not in chosen:
            chosen.append(body)
    return tuple(sorted(chosen, key=list(Body).index))


def _purposes(text: str) -> tuple[int, ...]:
    numbers = sorted({int(item) for item in _items(text)})
    if any(n not in (1, 2, 3, 4) for n in numbers):
        raise ValueError(text)
    return tuple(numbers)


def _modes(text: str) -> tuple[ControlMode, ...]:
    modes = {ControlMode(item.lower()) for item in _items(text)}
    if ControlMode.PERMANENT in modes and len(modes) > 1:
        raise ValueError(text)  # permanent control leaves nothing to add
    return tuple(m for m in ControlMode if m in modes)


def _bounded(name: str, *, optional: bool) -> Callable[[str], int | None]:
    """A whole number in ASCII digits within the field's BOUNDS (int() alone would take '1_000' and '٣')."""
    low, high = BOUNDS[name]

    def parse(text: str) -> int | None:
        text = text.strip()
        if not text and optional:
            return None
        if not re.fullmatch(r"[0-9]{1,12}", text) or not low <= int(text) <= high:
            raise ValueError(text)
        return int(text)

    return parse


def normalise_domain(text: str) -> str:
    """A bare host name: scheme, path, port, 'www.' and a leading '*.' or '.' go; IDN becomes punycode."""
    host = text.strip().lower()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host).split("/")[0].split(":")[0].strip(".")
    host = host.removeprefix("*.").removeprefix("www.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(text) from None
    if not _DOMAIN.match(host):
        raise ValueError(text)
    return host


def _domains(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for item in _items(text):
        domain = normalise_domain(item)
        if domain not in found:
            found.append(domain)
    return tuple(found)


def _working_hours(text: str) -> WorkingHours | None:
    """'08:00-17:00' (Monday to Friday) or '08:00-17:00 1-6' (ISO weekdays)."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?:\s+([1-7])\s*-\s*([1-7]))?", text)
    if not match:
        raise ValueError(text)
    h1, m1, h2, m2, d1, d2 = match.groups()
    start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    days = tuple(range(int(d1), int(d2) + 1)) if d1 else (1, 2, 3, 4, 5)
    if end <= start or not days:
        raise ValueError(text)
    return WorkingHours(start=start, end=end, days=days)


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"yes", "ja", "true", "1", "on", "y", "j"}:
        return True
    if value in {"no", "nee", "false", "0", "off", "n", ""}:
        return False
    raise ValueError(text)


def _text(text: str) -> str:
    return " ".join(text.split())


def _list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_items(text)))


# -- how the form and the CLI show a value ------------------------------------


def show_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def show_hours(value: WorkingHours | None) -> str:
    if value is None:
        return ""
    days = "" if value.days == (1, 2, 3, 4, 5) else f" {value.days[0]}-{value.days[-1]}"
    return f"{value.start:%H:%M}-{value.end:%H:%M}{days}"


def _join(values: tuple[Any, ...]) -> str:
    return ", ".join(str(v) for v in values)


def _join_domains(values: tuple[str, ...]) -> str:
    """Domains as people write them (bücher.de); typed back, they are stored as punycode again."""
    return ", ".join(domain_text(v) for v in values)


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    required: bool
    # Asked and (if required) checked whatever the text: the law or the app depends on it.
    always: bool = False
    # Text that may run over several lines in the form.
    multiline: bool = False


def _setting(name: str, parse: Callable[[str], Any], show: Callable[[Any], str] = str, **flags: bool) -> Setting:
    return Setting(name, parse, show, **flags)  # type: ignore[arg-type]


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        _setting("organisation_name", _text, required=True, always=True),
        # The privacy notice's controller contact and data protection officer (GDPR art. 13); not the policy's.
        _setting("controller_contact", _text, required=False, always=True),
        _setting("dpo_contact", _text, required=False, always=True),
        _setting("date_in_force", lambda v: parse_day(v) if v.strip() else None, show_date, required=True, always=True),
        _setting("bodies_present", _present, _join, required=True, always=True),
        _setting("consultation_body", lambda v: _bodies(v, tuple(Body)), _join, required=True, always=True),
        _setting(
            "consultation_date", lambda v: parse_day(v) if v.strip() else None, show_date, required=True, always=True
        ),
        # Art. 9 lists what the body and each employee must be told; art. 10 the evaluation: always asked.
        _setting("evaluation_body", lambda v: _bodies(v, tuple(Body)), _join, required=True, always=True),
        _setting("purposes", _purposes, _join, required=True, always=True),
        _setting("control_mode", _modes, _join, required=True, always=True),
        _setting(
            "test_period_max_days",
            _bounded("test_period_max_days", optional=True),
            lambda v: "" if v is None else str(v),
            required=False,
            always=True,
        ),
        _setting("control_justification", _text, required=False, always=True, multiline=True),
        _setting("control_means", _text, required=True, always=True, multiline=True),
        _setting("blocked_sites", _domains, _join_domains, required=False, always=True, multiline=True),
        _setting("official_accounts", _list, _join, required=False, multiline=True),
        _setting("social_media_goals", _list, _join, required=False, multiline=True),
        _setting(
            "retention_days",
            _bounded("retention_days", optional=True),
            lambda v: "" if v is None else str(v),
            required=True,
            always=True,
        ),
        _setting("storage_location", _text, required=True, always=True),
        _setting("mail_domains", _domains, _join_domains, required=True, always=True),
        _setting("working_hours", _working_hours, show_hours, required=False, always=True),
        _setting("sanctions", _list, _join, required=True, always=True, multiline=True),
        _setting(
            "keep_full_urls", _bool, lambda v: t("common.yes") if v else t("common.no"), required=False, always=True
        ),
        # Thresholds of the irregularity rules; each has a default, so none blocks the policy.
        _setting("upload_mb_per_day", _bounded("upload_mb_per_day", optional=False), str, required=False, always=True),
        _setting(
            "download_mb_per_day", _bounded("download_mb_per_day", optional=False), str, required=False, always=True
        ),
        _setting("denied_per_day", _bounded("denied_per_day", optional=False), str, required=False, always=True),
        _setting(
            "private_minutes_per_day",
            _bounded("private_minutes_per_day", optional=False),
            str,
            required=False,
            always=True,
        ),
        _setting("min_group_size", _bounded("min_group_size", optional=False), str, required=False, always=True),
    )
}


def parse_value(name: str, text: str) -> Any:
    """A typed value from what a person typed; Refused names the field and the expected form."""
    spec = SETTINGS.get(name)
    if spec is None:
        raise Refused("policy.field_known", "refused.policy_unknown_field", field=name, known=", ".join(SETTINGS))
    try:
        return spec.parse(text)
    except ValueError:
        raise _invalid(name, text) from None


def show_value(settings: PolicySettings, name: str) -> str:
    return SETTINGS[name].show(getattr(settings, name))


def is_empty(settings: PolicySettings, name: str) -> bool:
    value = getattr(settings, name)
    return value is None or value == "" or value == ()


# -- placeholders: how the text shows the fields -------------------------------


_BODY_NL = {
    Body.WORKS_COUNCIL: "de ondernemingsraad",
    Body.PREVENTION_COMMITTEE: "het comité voor preventie en bescherming op het werk",
    Body.UNION_DELEGATION: "de vakbondsafvaardiging",
    Body.EMPLOYEES: "de werknemers",
}
_EVALUATION_NL = {
    Body.WORKS_COUNCIL: "in de ondernemingsraad",
    Body.PREVENTION_COMMITTEE: "in het comité voor preventie en bescherming op het werk",
    Body.UNION_DELEGATION: "met de vakbondsafvaardiging",
    Body.EMPLOYEES: "met de werknemers",
}


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _control_mode(s: PolicySettings) -> str | None:
    if not s.control_mode:
        return None
    if ControlMode.PERMANENT in s.control_mode:
        reason = f" ({s.control_justification})" if s.control_justification else ""
        return f"permanent{reason}"
    parts = []
    if ControlMode.PERIODIC in s.control_mode:
        length = f"{s.test_period_max_days} dagen" if s.test_period_max_days else "…"
        parts.append(
            "periodiek, tijdens testperiodes die plaatsvinden op vooraf bepaalde tijdstippen "
            f"en telkens een maximale duur hebben van {length}"
        )
    if ControlMode.EVENT in s.control_mode:
        parts.append(
            "naar aanleiding van bepaalde gebeurtenissen of omstandigheden op basis waarvan de werkgever "
            "oordeelt dat een controle nodig is, zoals een klacht of een vermoeden van misbruik"
        )
    return " en ".join(parts)


def _bullets(values: tuple[str, ...]) -> str | None:
    return "\n".join(f"· {v}" for v in values) if values else None


@dataclass(frozen=True)
class Placeholder:
    name: str
    settings: tuple[str, ...]
    render: Callable[[PolicySettings], str | None]
    # Filled in per employee when a receipt is made, not in the settings.
    per_receipt: bool = False


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("organisation_name", ("organisation_name",), lambda s: s.organisation_name or None),
        Placeholder(
            "mail_domain", ("mail_domains",), lambda s: domain_text(s.mail_domains[0]) if s.mail_domains else None
        ),
        Placeholder(
            "date_in_force", ("date_in_force",), lambda s: long_date(s.date_in_force, "nl") if s.date_in_force else None
        ),
        Placeholder(
            "consultation_body",
            ("consultation_body",),
            lambda s: _and([_BODY_NL[b] for b in s.consultation_body]) if s.consultation_body else None,
        ),
        Placeholder(
            "evaluation_body",
            ("evaluation_body",),
            lambda s: _and([_EVALUATION_NL[b] for b in s.evaluation_body]) if s.evaluation_body else None,
        ),
        Placeholder("control_mode", ("control_mode", "test_period_max_days", "control_justification"), _control_mode),
        Placeholder("control_means", ("control_means",), lambda s: s.control_means or None),
        Placeholder(
            "blocked_sites",
            ("blocked_sites",),
            lambda s: _bullets(tuple(domain_text(d) for d in s.blocked_sites)) or "· (geen)",
        ),
        Placeholder("official_accounts", ("official_accounts",), lambda s: _bullets(s.official_accounts) or "· (geen)"),
        Placeholder("social_media_goals", ("social_media_goals",), lambda s: "; ".join(s.social_media_goals) or "…"),
        Placeholder(
            "retention_days", ("retention_days",), lambda s: f"{s.retention_days} dagen" if s.retention_days else None
        ),
        Placeholder("storage_location", ("storage_location",), lambda s: s.storage_location or None),
        Placeholder("employee_name", (), lambda s: None, per_receipt=True),
        Placeholder("receipt_place", (), lambda s: None, per_receipt=True),
        Placeholder("receipt_date", (), lambda s: None, per_receipt=True),
    )
}


def settings_asked(placeholders_used: set[str]) -> list[str]:
    """The settings the form asks for a text using these placeholders, in the registry's order."""
    used = {name for p in placeholders_used if p in PLACEHOLDERS for name in PLACEHOLDERS[p].settings}
    return [name for name, spec in SETTINGS.items() if spec.always or name in used]
