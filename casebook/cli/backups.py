"""`casebook backup DEST` and `casebook restore BACKUP`: consistent copies of the casebook and its key."""

from __future__ import annotations

from pathlib import Path

import click

from casebook import backup as backups
from casebook.cli.common import COUNT, Options
from casebook.formatting import size
from casebook.i18n import t


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--keep",
    type=COUNT,
    metavar="N",
    help="Afterwards remove the oldest backups in DEST beyond the newest N.",
)
@click.pass_obj
def backup(options: Options, dest: Path, keep: int | None) -> int:
    """Copy the casebook and its key into a new folder in DEST, consistent while people work; checked after."""
    made = backups.backup(options.home, dest, keep=keep)
    click.echo(t("cli.backup_done", folder=str(made.folder), size=size(made.size), count=made.audit_rows))
    for old in made.removed:
        click.echo(t("cli.backup_removed", folder=str(old)))
    return 0


@click.command("restore")
@click.argument("source", metavar="BACKUP", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace the casebook that is there (nobody may have it open).")
@click.pass_obj
def restore(options: Options, source: Path, force: bool) -> int:
    """Put a backup made by `casebook backup` back as the casebook (checked before anything is replaced)."""
    home = backups.restore(source, options.home, force=force)
    click.echo(t("cli.restore_done", folder=str(source), home=str(home)))
    return 0
