"""Casebook's core: everything the app and the command line do, without any UI.

    book = casebook.open(home)
    session = book.login("an", "passphrase")

Nothing here imports Textual (screens -> casebook -> schema).
"""

from casebook.book import Casebook
from casebook.book import init_casebook as init
from casebook.book import open_casebook as open
from casebook.errors import CasebookError, Refused
from casebook.session import Session

__all__ = ["Casebook", "CasebookError", "Refused", "Session", "init", "open"]
