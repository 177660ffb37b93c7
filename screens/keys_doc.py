"""The README's list of keys per mode, written from the action table (`python -m screens.keys_doc`).

Each screen's keys are the rows it binds (its `ACTIONS`), those of the widgets
its module defines (a table's Enter), and those of shared widgets it composes
(`COMPOSED`); the texts are the catalogue's English ones, as the help screen
(`?`) shows them. `--write README.md` puts the tables between the README's
markers; a test fails when the README and the table disagree.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

from textual.binding import Binding

from casebook import i18n
from casebook.permissions import allowed_roles
from schema.roles import ROLE_ORDER
from screens import actions

BEGIN = "<!-- keys:begin (written by `python -m screens.keys_doc --write README.md`; a test keeps it so) -->"
END = "<!-- keys:end -->"

# Every screen that has keys, in the order a person meets them: (module, class, what it is, in English).
SCREENS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("screens.app", "CasebookApp", "any screen, once signed in"),
            ("screens.signin", "SignInScreen", "sign-in"),
            ("screens.lock", "LockScreen", "locked screen"),
            ("screens.keys", "KeysScreen", "the keys (`?`)"),
            ("screens.widgets.confirm", "ConfirmScreen", "a yes/no question"),
        ),
    ),
    (
        "Policy mode",
        (
            ("screens.policy.mode", "PolicyScreen", "the policy text"),
            ("screens.policy.settings_form", "PolicySettingsScreen", "the policy's fields"),
            ("screens.policy.receipts", "ReceiptsScreen", "receipts"),
            ("screens.policy.receipts", "RecordReceiptScreen", "record a receipt"),
            ("screens.policy.receipts", "ExportReceiptScreen", "write a receipt form"),
            ("screens.policy.consultation", "ConsultationScreen", "consultation"),
            ("screens.policy.consultation", "ConsultationForm", "an information or an evaluation"),
            ("screens.policy.versions", "VersionsScreen", "earlier versions"),
            ("screens.policy.documents", "DocumentsScreen", "the GDPR's documents"),
            ("screens.policy.documents", "DocumentTextScreen", "a document's text"),
        ),
    ),
    (
        "Logs mode",
        (
            ("screens.logs.mode", "LogsScreen", "the imports"),
            ("screens.logs.import_file", "LogsImportScreen", "import a file"),
            ("screens.logs.rejects", "LogsRejectsScreen", "an import's rejected lines"),
            ("screens.logs.overview", "OverviewScreen", "the global overview"),
            ("screens.logs.overview", "PeriodDialog", "a period of your own"),
            ("screens.logs.drill", "DrillScreen", "a domain's or category's details"),
            ("screens.logs.irregularities", "IrregularitiesScreen", "irregularities"),
        ),
    ),
    (
        "Cases mode",
        (
            ("screens.cases.mode", "CasesScreen", "the cases"),
            ("screens.cases.page", "CaseScreen", "a case"),
            ("screens.cases.forms", "FormDialog", "a step's form"),
            ("screens.cases.dialogs", "ChoiceDialog", "a choice"),
            ("screens.cases.dialogs", "WhyDialog", "why a step is not open"),
            ("screens.cases.letter_editor", "LetterEditor", "a letter"),
        ),
    ),
    (
        "Access mode",
        (
            ("screens.access.mode", "AccessScreen", "the requests"),
            ("screens.access.request", "RequestScreen", "a request"),
            ("screens.access.forms", "_Form", "a request's form"),
        ),
    ),
    (
        "Reports mode",
        (
            ("screens.reports.mode", "ReportsScreen", "the reports"),
            ("screens.reports.view", "ReportScreen", "a report"),
        ),
    ),
)
# Rows of shared widgets a screen composes (they are defined elsewhere, so not found in its module).
COMPOSED: dict[str, tuple[str, ...]] = {"PolicySettingsScreen": ("choices.toggle",)}


def screen_rows(module_name: str, class_name: str) -> list[actions.UiAction]:
    """The rows with keys of one screen, in table order: its own, its module's widgets', the shared ones it uses."""
    module = importlib.import_module(module_name)
    screen = getattr(module, class_name)
    ids = [row_id for row_id in getattr(screen, "ACTIONS", ())]
    for _, member in inspect.getmembers(module, inspect.isclass):
        if member.__module__ != module_name or member is screen or hasattr(member, "ACTIONS"):
            continue  # another screen of the module has a section of its own
        ids += [b.id for b in member.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id]
    ids += COMPOSED.get(class_name, ())
    rank = {row.id: index for index, row in enumerate(actions.ROWS)}
    return [actions.BY_ID[i] for i in sorted(set(ids), key=rank.__getitem__) if actions.BY_ID[i].keys]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _keys(row: actions.UiAction) -> str:
    return ", ".join(f"`{actions.key_text(key)}`" for key in row.key_list)


def markdown() -> str:
    """The tables, in English."""
    language = i18n.get_language()
    i18n.set_language("en")
    try:
        parts = []
        for title, screens in SCREENS:
            parts.append(f"**{title}**\n")
            parts.append("| screen | keys | what it does | only for |")
            parts.append("| --- | --- | --- | --- |")
            for module_name, class_name, what in screens:
                for row in screen_rows(module_name, class_name):
                    label = row.palette_title() if row.palette else i18n.t(row.label)
                    roles = ""
                    if row.needs is not None:
                        allowed = allowed_roles(row.needs)
                        roles = ", ".join(i18n.t(f"role.{r.value}") for r in ROLE_ORDER if r in allowed)
                    parts.append(f"| {what} | {_keys(row)} | {_cell(label)} | {roles} |")
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"
    finally:
        i18n.set_language(language)


def readme_section(readme: str) -> str:
    """What the README holds between the markers now."""
    start = readme.index(BEGIN) + len(BEGIN)
    return readme[start : readme.index(END)].strip("\n") + "\n"


def write(readme_path: Path) -> None:
    readme = readme_path.read_text("utf-8")
    start = readme.index(BEGIN) + len(BEGIN)
    readme_path.write_text(readme[:start] + "\n" + markdown() + readme[readme.index(END) :], "utf-8")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--write"] and len(arguments) == 2:
        write(Path(arguments[1]))
    else:
        sys.stdout.write(markdown())
