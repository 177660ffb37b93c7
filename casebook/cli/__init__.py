"""The command line: `casebook` opens the app; subcommands act as a signed-in casebook user."""

from casebook.cli.main import cli, main, run

__all__ = ["cli", "main", "run"]
