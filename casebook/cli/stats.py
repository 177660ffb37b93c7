"""`casebook stats` and `casebook irregularities`: the global control from the command line, no person in it."""

from __future__ import annotations

import json
from datetime import date

import click

from casebook import rules
from casebook.cli.common import COUNT, Options, acting, table
from casebook.clock import parse_day
from casebook.formatting import decimal, domain_text, number, people, size
from casebook.i18n import t
from casebook.logs import rollups
from casebook.permissions import Action
from casebook.session import Session

# Domains listed in text when --top is not given.
TOP = 20


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(t("cli.bad_date", value=value)) from None


def _span(session: Session, first: date | None, last: date | None) -> rollups.Period:
    """The days asked, or else every day with data."""
    if first is None or last is None:
        days = rollups.data_days(session)
        today = session.today()
        if days is not None:
            first, last = first or days[0], last or days[1]
        first, last = first or today, last or today
    return rollups.period("custom", first, first, last)


def _row_json(row: rollups.Row, key: str) -> dict[str, object]:
    """One row; `users` is null for a group of fewer people than the policy's smallest group, never a number."""
    out: dict[str, object] = {
        key: row.name or None,
        "category": row.category,
        "requests": row.requests,
        "bytes": row.bytes,
        "visits": row.visits,
        "seconds": round(row.seconds, 1),
        "users": row.users,
    }
    if row.folded:
        out[key] = None
        out["folded"] = row.folded  # the row of the groups too small to show, this many of them
    return out


@click.command("stats")
@click.option("--from", "first", help="First day (default: the first day with data).")
@click.option("--to", "last", help="Last day, included (default: the last day with data).")
@click.option(
    "--top",
    type=COUNT,
    help=f"The domains with most requests to list, in text and JSON (default: {TOP} in text, all in JSON).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the domains and every category.")
@click.pass_obj
def stats(options: Options, first: str | None, last: str | None, top: int | None, as_json: bool) -> int:
    """Global figures of the logs: totals, domains, categories. Never a person."""
    with acting(options) as session:
        span = _span(session, _day(first), _day(last))
        totals = rollups.totals(session, span)
        minimum = rollups.minimum_group(session)
        other = rollups.other_domains(session, span)
        if as_json:
            limit = top if top is not None else max(1, rollups.domain_count(session, span))
            every = rollups.domains(session, span, limit=limit)
            click.echo(
                json.dumps(
                    {
                        "from": span.first_day.isoformat(),
                        "to": span.last_day.isoformat(),
                        "min_group_size": minimum,
                        "requests": totals.requests,
                        "bytes": totals.bytes,
                        "visits": totals.visits,
                        "seconds": round(totals.seconds, 1),
                        "users": totals.users,
                        "domains": [_row_json(r, "domain") for r in [*every, *([other] if other else [])]],
                        "categories": [_row_json(r, "category") for r in rollups.categories(session, span)],
                    },
                    ensure_ascii=False,
                )
            )
            return 0
        click.echo(
            t(
                "stats.totals",
                first=span.first_day.isoformat(),
                last=span.last_day.isoformat(),
                requests=number(totals.requests),
                size=size(totals.bytes),
                visits=number(totals.visits),
                hours=decimal(totals.seconds / 3600),
                users=people(totals.users, minimum),
            )
        )
        click.echo()
        shown = rollups.domains(session, span, limit=top or TOP)
        rows = [
            [
                t("figures.other", minimum=minimum) if r.folded else domain_text(r.name),
                t(f"category.{r.category}") if r.category else "-",
                number(r.requests),
                size(r.bytes),
                number(r.visits),
                number(round(r.seconds / 60)),
                decimal(r.median_seconds / 60) if r.median_seconds is not None else "-",
                people(r.users, minimum),
            ]
            for r in [*shown, *([other] if other else [])]
        ]
        click.echo(
            table(
                [
                    t("stats.col.domain"),
                    t("stats.col.category"),
                    t("stats.col.requests"),
                    t("stats.col.bytes"),
                    t("stats.col.visits"),
                    t("stats.col.minutes"),
                    t("stats.col.median"),
                    t("stats.col.users"),
                ],
                rows,
            )
        )
        click.echo()
        rows = [
            [
                t("figures.other", minimum=minimum)
                if r.folded
                else (t(f"category.{r.category}") if r.category else t("stats.uncategorised")),
                number(r.requests),
                size(r.bytes),
                number(r.visits),
                number(round(r.seconds / 60)),
                people(r.users, minimum),
            ]
            for r in rollups.categories(session, span)
        ]
        click.echo(
            table(
                [
                    t("stats.col.category"),
                    t("stats.col.requests"),
                    t("stats.col.bytes"),
                    t("stats.col.visits"),
                    t("stats.col.minutes"),
                    t("stats.col.users"),
                ],
                rows,
            )
        )
    return 0


@click.command("irregularities")
@click.option("--no-run", is_flag=True, help="List what was found before; do not run the rules now.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per irregularity.")
@click.pass_obj
def irregularities(options: Options, no_run: bool, as_json: bool) -> int:
    """Run the adopted purposes' rules on the logs, then list the irregularities (globally, never who)."""
    with acting(options) as session:
        if not no_run:
            report = rules.run(session)
            ran = report.said()
            if not session.may(Action.MODE_LOGS):
                # The scheduler runs the rules but reads no list: what it found waits for the people of Logs mode.
                as_object = {
                    "days": report.days,
                    "rules": report.rules,
                    "found": report.found,
                    "updated": report.updated,
                    "removed": report.removed,
                    "unmeasured": [{"rule": m.rule, "days": m.days, "reason": m.reason} for m in report.unmeasured],
                }
                click.echo(json.dumps(as_object) if as_json else ran)
                return 0
            if not as_json:
                click.echo(ran, err=True)
            # Said in --json too (on stderr): a rule that could not judge is never silent.
            for line in report.not_judged():
                click.echo(line, err=True)
        found = rules.listing(session, limit=10_000)
    if as_json:
        for item in found:
            click.echo(
                json.dumps(
                    {
                        "id": item.id,
                        "rule": item.rule,
                        "purpose": item.purpose,
                        "day": item.day.isoformat(),
                        "subject": item.subject or None,
                        "summary": item.summary,
                        "events": item.events,
                    },
                    ensure_ascii=False,
                )
            )
        return 0
    if not found:
        click.echo(t("rules.none"))
        return 0
    click.echo(
        table(
            [t("rules.col.day"), t("rules.col.purpose"), t("rules.col.summary")],
            [[i.day.isoformat(), str(i.purpose), i.summary] for i in found],
        )
    )
    return 0
