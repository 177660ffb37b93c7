"""`casebook import FILE...` and `casebook categories import DIR`: logs and category lists."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from casebook import categories
from casebook.cli.common import Options, acting
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import formats, importer, summary
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
    failed = False
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
                    click.echo(t("cli.error", message=exc.message), err=True)
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
            for reason, count in result.reasons.most_common():
                click.echo(t("logs.summary_reason", count=number(count), reason=t(f"logs.reject.{reason}")))
    return 1 if failed else 0


@click.group("categories")
def categories_group() -> None:
    """Site categories: the built-in map and imported lists."""


@categories_group.command("import")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="Name of the list set (default: the folder's name); importing it again replaces it.")
@click.pass_obj
def categories_import(options: Options, folder: Path, name: str | None) -> int:
    """Import UT1-style lists: FOLDER/<category>/domains, one domain a line."""
    with acting(options) as session:
        done = categories.import_lists(session, folder, name)
    click.echo(
        t(
            "logs.categories_imported",
            name=done.name,
            categories=number(done.categories),
            domains=number(done.domains),
            attribution=done.attribution,
        )
    )
    return 0
