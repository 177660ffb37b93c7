"""No way out of the casebook: what imports may read, where exports may write, which folders settings may name."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook import exports, settings, users
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.logs import importer, sources
from casebook.permissions import Action
from casebook.session import Interface, Session
from schema.roles import Role
from tests.conftest import PASSPHRASE

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"


@pytest.fixture
def account_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The service account's home, where sshd looks for .ssh/authorized_keys."""
    home = tmp_path / "service-home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "authorized_keys").write_text('restrict,command="casebook --as ilse" ssh-ed25519 AAAA ilse\n')
    monkeypatch.setattr("casebook.files.account_home", lambda: home)
    return home


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """A log folder like /var/log/squid, holding one real log."""
    folder = tmp_path / "var-log"
    folder.mkdir()
    shutil.copy(SAMPLES / "squid-access.log", folder / "access.log")
    return folder


@pytest.fixture
def officer_in_app(book: Casebook, admin: Session, logs: Path, account_home: Path) -> Session:
    """The IT officer as the app signs her in (over an SSH key's forced command), the logs folder allowed."""
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    settings.set_value(admin, "import_folders", str(logs))
    return book.login("ilse", PASSPHRASE, interface=Interface.APP)


@pytest.fixture
def officer_at_shell(book: Casebook, officer_in_app: Session) -> Session:
    return book.login("ilse", PASSPHRASE, interface=Interface.CLI)


def imports(book: Casebook) -> int:
    return int(book.store.query_one("SELECT count(*) AS n FROM imports")["n"])  # type: ignore[index]


# -- imports ----------------------------------------------------------------------------------------


def test_the_app_imports_from_an_allowed_folder(book: Casebook, officer_in_app: Session, logs: Path) -> None:
    result = importer.import_file(officer_in_app, logs / "access.log")
    assert result.imported == 912


@pytest.mark.parametrize("forced", [None, "csv", "squid"])
def test_the_app_never_imports_the_key_whatever_the_format(
    book: Casebook, officer_in_app: Session, forced: str | None
) -> None:
    with pytest.raises(Refused) as refused:
        importer.import_file(officer_in_app, book.files.key, forced)
    assert refused.value.rule == "files.own"
    assert imports(book) == 0


def test_the_app_never_imports_from_the_service_accounts_home(
    book: Casebook, officer_in_app: Session, account_home: Path
) -> None:
    with pytest.raises(Refused) as refused:
        importer.import_file(officer_in_app, account_home / ".ssh" / "authorized_keys", "csv")
    assert refused.value.rule == "files.import_folder"
    assert "thuismap van het dienstaccount" in refused.value.message
    assert imports(book) == 0


def test_a_link_in_an_allowed_folder_leads_nowhere_else(
    book: Casebook, officer_in_app: Session, logs: Path, account_home: Path
) -> None:
    (logs / "keys.log").symlink_to(account_home / ".ssh" / "authorized_keys")
    (logs / "key.log").symlink_to(book.files.key)
    os.link(book.files.key, logs / "hard.log")

    for name, rule in (("keys.log", "files.import_folder"), ("key.log", "files.own"), ("hard.log", "files.own")):
        with pytest.raises(Refused) as refused:
            importer.import_file(officer_in_app, logs / name, "csv")
        assert refused.value.rule == rule, name
    assert imports(book) == 0


def test_the_app_imports_nothing_outside_the_allowed_folders(
    book: Casebook, officer_in_app: Session, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.log"
    shutil.copy(SAMPLES / "squid-access.log", elsewhere)

    with pytest.raises(Refused) as refused:
        importer.import_file(officer_in_app, elsewhere)

    assert refused.value.rule == "files.import_folder"
    assert "casebook setting set import_folders" in refused.value.message
    assert imports(book) == 0


def test_the_command_line_reads_what_its_shell_may_but_never_the_casebooks_own_files(
    book: Casebook, officer_at_shell: Session, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.log"
    shutil.copy(SAMPLES / "squid-access.log", elsewhere)

    assert importer.import_file(officer_at_shell, elsewhere).imported == 912
    for own in (book.files.key, book.files.db, Path(f"{book.files.db}-wal")):
        with pytest.raises(Refused) as refused:
            importer.import_file(officer_at_shell, own, "csv")
        assert refused.value.rule == "files.own", own


def test_the_folder_tree_shows_what_an_import_may_read(
    book: Casebook, officer_in_app: Session, logs: Path, account_home: Path
) -> None:
    reach = sources.reach(officer_in_app)
    (logs / "keys.log").symlink_to(account_home / ".ssh" / "authorized_keys")

    assert reach(logs) and reach(logs / "access.log")
    assert not reach(logs / "keys.log")
    assert not reach(logs.parent) and not reach(book.files.home) and not reach(account_home)


# -- settings that name folders ---------------------------------------------------------------------


def test_import_folders_are_full_paths_outside_the_casebook_and_the_home(
    book: Casebook, admin: Session, logs: Path, account_home: Path
) -> None:
    assert settings.set_value(admin, "import_folders", f" {logs} , /var/log/squid/ ") == [str(logs), "/var/log/squid"]
    for value, rule in (
        ("var/log", "settings.valid"),
        ("", "settings.valid"),
        (str(book.files.home), "settings.folder"),
        (f"/var/log,{account_home / '.ssh'}", "settings.folder"),
        (str(account_home), "settings.folder"),
    ):
        with pytest.raises(Refused) as refused:
            settings.set_value(admin, "import_folders", value)
        assert refused.value.rule == rule, value
    assert settings.get(book.store, "import_folders") == [str(logs), "/var/log/squid"]


def test_the_exports_folder_is_a_folder_of_its_own(
    book: Casebook, admin: Session, tmp_path: Path, account_home: Path
) -> None:
    for fine in ("exports", str(tmp_path / "outbox")):
        settings.set_value(admin, "exports_folder", fine)
    for bad in (".", str(book.files.home), str(account_home), str(account_home / ".ssh"), "casebook.key", "../.ssh"):
        with pytest.raises(Refused) as refused:
            settings.set_value(admin, "exports_folder", bad)
        assert refused.value.rule == "settings.folder", bad


# -- exports ----------------------------------------------------------------------------------------


def test_an_export_never_writes_over_or_into_the_casebook(book: Casebook, admin: Session, tmp_path: Path) -> None:
    key_before = book.files.key.read_bytes()
    link = tmp_path / "innocent.txt"
    link.symlink_to(book.files.key)
    hard = tmp_path / "hard.txt"
    os.link(book.files.key, hard)

    for target in (book.files.key, book.files.db, f"{book.files.db}-wal", link, hard):
        with pytest.raises(Refused) as refused:
            exports.write_export(admin, Action.VIEW_RECEIPTS, target, "x", force=True)
        assert refused.value.rule == "files.own", target
    with pytest.raises(Refused) as refused:
        exports.write_export(admin, Action.VIEW_RECEIPTS, book.files.home / "notes.txt", "x")
    assert refused.value.rule == "files.own" and "exportmap" in refused.value.message
    assert book.files.key.read_bytes() == key_before
    assert not (book.files.home / "notes.txt").exists()


def test_an_export_writes_over_a_file_only_when_forced(book: Casebook, admin: Session, tmp_path: Path) -> None:
    target = tmp_path / "form.txt"
    target.write_text("earlier")

    with pytest.raises(Refused) as refused:
        exports.write_export(admin, Action.VIEW_RECEIPTS, target, "new")
    assert refused.value.rule == "files.overwrite" and "--force" in refused.value.message
    assert target.read_text() == "earlier"
    assert exports.write_export(admin, Action.VIEW_RECEIPTS, target, "new", force=True) == target
    assert target.read_text() == "new"
    with pytest.raises(Refused):
        exports.write_export(admin, Action.VIEW_RECEIPTS, tmp_path, "new", force=True)


def test_dash_means_stdout_and_a_new_file_is_for_its_owner_only(book: Casebook, admin: Session, tmp_path: Path) -> None:
    assert exports.write_export(admin, Action.VIEW_RECEIPTS, "-", "text") is None
    written = exports.write_export(admin, Action.VIEW_RECEIPTS, tmp_path / "new.txt", "text")
    assert written is not None and (written.stat().st_mode & 0o777) == 0o600
    (book.files.home / "exports").mkdir()
    inside = exports.write_export(admin, Action.VIEW_RECEIPTS, book.files.home / "exports" / "x.txt", "t")
    assert inside is not None and inside.read_text() == "t"  # the exports folder is the one place inside


def test_an_export_needs_the_permission_it_names(people: dict[str, Session], tmp_path: Path) -> None:
    with pytest.raises(Refused) as refused:
        exports.write_export(people["eva"], Action.VIEW_RECEIPTS, tmp_path / "x.txt", "x")
    assert refused.value.rule == "role.required"
    assert not (tmp_path / "x.txt").exists()


def test_the_app_saves_under_its_own_names_in_the_exports_folder(book: Casebook, admin: Session) -> None:
    first = exports.save(admin, Action.VIEW_RECEIPTS, "../../casebook.key", "one")
    second = exports.save(admin, Action.VIEW_RECEIPTS, "../../casebook.key", b"two")

    folder = book.files.home / "exports"
    assert (first.parent, second.parent) == (folder, folder)
    assert (first.name, second.name) == ("casebook.key", "casebook-2.key")
    assert (first.read_text(), second.read_text()) == ("one", "two")
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert len(book.files.key.read_bytes()) == 32


def test_forced_writes_replace_the_file_whole(book: Casebook, admin: Session, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"first")

    exports.write_export(admin, Action.VIEW_RECEIPTS, target, b"%PDF-second", force=True)

    assert target.read_bytes() == b"%PDF-second"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "casebook") == ["out.pdf"]  # no temporary left
