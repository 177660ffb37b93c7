"""`casebook import FILE...`, `casebook imports list|remove` and `casebook categories import DIR`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from casebook import categories
from casebook.cli.common import COUNT, ID, Options, acting, table
from casebook.errors import CasebookError, Refused
from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import formats, history, importer, removal, summary
from casebook.permissions import Action


def _progress_line(name: str) -> Callable[[importer.Progress], None] | None:
    """A progress line on stderr, rewritten in place, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(progress: importer.Progress) -> None:
        share = progress.bytes_read / progress.total_bytes if progress.total_bytes else 1.0
        bar = "#" * int(share * 30)
        click.echo(
            f"\r{name[-30:]:<30} [{bar:<30}] {share:4.0%} "
            f"{t('logs.progress', lines=number(progress.lines), rejected=number(progress.rejected))}",
            nl=False,
            err=True,
        )

    return show


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--format", "fmt", type=click.Choice(formats.FORMATS), help="Skip detection: the files are all this format."
)
@click.option("--host", "default_host", help="The site a web server's path-only requests went to (CLF logs).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.pass_obj
def import_logs(
    options: Options, files: tuple[Path, ...], fmt: str | None, default_host: str | None, as_json: bool
) -> int:
    """Import proxy, web or mail logs (.gz too); identities are pseudonymised at the door."""
    failed = refused = False
    with acting(options) as session:
        session.require(Action.IMPORT_LOGS)  # a refusal is the person's, not a file's: exit 3 before any file
        for path in files:
            try:
                result = importer.import_file(
                    session,
                    path,
                    fmt,
                    progress=None if as_json else _progress_line(path.name),
                    default_host=default_host,
                )
            except CasebookError as exc:
                # A file refused by a rule (the casebook's own, say) makes the command exit 3 at the end;
                # one that could not be read, 1. The other files are imported all the same.
                refused = refused or isinstance(exc, Refused)
                failed = True
                if as_json:
                    click.echo(
                        json.dumps(
                            {
                                "file": str(path),
                                "format": fmt,
                                "lines": 0,
                                "imported": 0,
                                "rejected": 0,
                                "not_events": 0,
                                "skipped": None,
                                "seconds": 0.0,
                                "error": exc.message,
                            },
                            ensure_ascii=False,
                        )
                    )
                else:
                    click.echo(
                        exc.message if isinstance(exc, Refused) else t("cli.error", message=exc.message), err=True
                    )
                continue
            if as_json:
                click.echo(json.dumps(result.as_json(), ensure_ascii=False))
                continue
            if sys.stderr.isatty():
                click.echo("", err=True)
            if result.skipped:
                click.echo(t("logs.summary_skipped", file=result.file, reason=t(f"logs.skipped.{result.skipped}")))
                continue
            click.echo(
                t(
                    "logs.summary",
                    file=result.file,
                    format=result.format,
                    counts=summary.counts_text(
                        result.format, result.lines, result.imported, result.not_events, result.rejected, result.seconds
                    ),
                )
            )
            if result.continues is not None:
                click.echo("  " + t("logs.summary_continues", id=result.continues))
            for reason, count in result.reasons.most_common():
                click.echo(t("logs.summary_reason", count=number(count), reason=t(f"logs.reject.{reason}")))
            if result.pending:
                click.echo("  " + t("logs.summary_pending"))
    return 3 if refused else 1 if failed else 0


@click.group("imports")
def imports_group() -> None:
    """What was imported: list the imports, remove one (the wrong file or format)."""


@imports_group.command("list")
@click.option("--limit", default=50, show_default=True, type=COUNT, help="How many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per import.")
@click.pass_obj
def imports_list(options: Options, limit: int, as_json: bool) -> int:
    """The imports, newest first, with their ids (for `imports remove`)."""
    with acting(options) as session:
        found = history.imports(session, limit=limit)
        book = session.casebook
        if as_json:
            for record in found:
                click.echo(
                    json.dumps(
                        {
                            "id": record.id,
                            "path": record.path,
                            "format": record.format,
                            "lines": record.lines,
                            "imported": record.imported,
                            "rejected": record.rejected,
                            "imported_at": record.imported_at.isoformat(),
                            "imported_by": record.imported_by,
                            "continues": record.prefix_of,
                        },
                        ensure_ascii=False,
                    )
                )
            return 0
        click.echo(
            table(
                [t("logs.col.id"), t("logs.col.when"), t("logs.col.file"), t("logs.col.format"), t("logs.col.lines")]
                + [t("logs.col.imported"), t("logs.col.rejected"), t("logs.col.continues")],
                [
                    [
                        str(r.id),
                        book.local_time_text(r.imported_at),
                        r.path,
                        r.format,
                        number(r.lines),
                        number(r.imported),
                        number(r.rejected),
                        "" if r.prefix_of is None else str(r.prefix_of),
                    ]
                    for r in found
                ],
            )
        )
    return 0


@imports_group.command("remove")
@click.argument("import_id", metavar="ID", type=ID)
@click.pass_obj
def imports_remove(options: Options, import_id: int) -> int:
    """Remove an import: its requests, visits and mails, and their part of every figure and irregularity."""
    with acting(options) as session:
        done = removal.remove(session, import_id)
    click.echo(
        t(
            "logs.removed",
            id=done.import_id,
            path=done.path,
            events=number(done.events),
            visits=number(done.visits),
            mails=number(done.mails),
        )
    )
    if done.irregularities_updated or done.irregularities_removed:
        click.echo(
            t(
                "logs.removed_irregularities",
                updated=number(done.irregularities_updated),
                removed=number(done.irregularities_removed),
            )
        )
    return 0


@click.group("categories")
def categories_group() -> None:
    """Site categories: the built-in map and imported lists."""


@categories_group.command("import")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="Name of the list set (default: the folder's name); importing it again replaces it.")
@click.option("--attribution", help="Whose lists these are (default: what the lists' own LICENSE/README says).")
@click.pass_obj
def categories_import(options: Options, folder: Path, name: str | None, attribution: str | None) -> int:
    """Import UT1-style lists: FOLDER/<category>/domains, one domain a line."""
    with acting(options) as session:
        done = categories.import_lists(session, folder, name, attribution)
    click.echo(
        t(
            "logs.categories_imported",
            name=done.name,
            categories=number(done.categories),
            domains=number(done.domains),
            attribution=done.attribution,
        )
    )
    if done.skipped:
        click.echo(t("categories.skipped", count=done.skipped), err=True)
        for line in done.samples:
            click.echo(
                t("categories.skipped_line", category=line.category, line=line.line_no, text=line.text), err=True
            )
    return 0
