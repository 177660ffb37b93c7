"""deploy/install-server.sh, run for real in a throwaway root, twice; then the README's server commands as printed.

The install needs no network here: pip gets the wheels of this environment
(tests.deploy.wheelhouse). The account is the one running the tests (with
--prefix nothing of the system is changed: no users, no sshd, no systemd); the
dry run shows the steps a fresh machine gets, account and groups included.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.deploy import wheelhouse

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "install-server.sh"
SAMPLES = ROOT / "sample_logs"
ADMIN_PASSPHRASE = "an passphrase long"
NEW_PASSPHRASE = "a new passphrase here"
# The key of tests/core/test_signin_server.py.
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICv0aJg42PPMZJaU9bYSpc1y4dmsnDRp7AzqAPxWu6r4 ilse@laptop"
# Commands of the README that need what a throwaway root has not: a running systemd.
NEEDS_SYSTEMD = ("systemctl ",)


def server_section() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme.split("## Install on a server", 1)[1].split("\n## ", 1)[0]


def blocks(section: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced block, comments and blank lines left out."""
    found = []
    for language, body in re.findall(r"```(\w*)\n(.*?)```", section, re.S):
        lines = [line.split("  #")[0].strip() for line in body.splitlines()]
        found.append((language, [line for line in lines if line and not line.startswith("#")]))
    return found


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def tree(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path below root with its mode and owner: what a second run must leave as it found."""
    return {
        str(path.relative_to(root)): (path.lstat().st_mode, path.lstat().st_uid, path.lstat().st_gid)
        for path in sorted(root.rglob("*"))
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wheelhouse.build(ROOT, tmp_path_factory.mktemp("wheels"))


@pytest.fixture
def environment(wheels: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "SSH_", "PIP_"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # not this machine's pip settings: only the wheels at hand
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels.parent),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    yield env


def run(argv: list[str], env: dict[str, str], cwd: Path, **values: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env={**env, **values}, cwd=cwd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )


# -- the dry run: every step of a fresh machine -------------------------------------------------------


def test_the_dry_run_shows_every_step_of_a_fresh_install_and_changes_nothing(
    environment: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "srv-casebook"
    done = run(
        [str(SCRIPT), "--dry-run", "--account", "cbk-not-here", "--home", str(home), "--admin", "an"],
        environment,
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    out = done.stdout
    steps = [line[3:] for line in out.splitlines() if line.startswith("== ")]
    assert steps == [
        "Python 3.11 or newer, with venv",
        "The service account cbk-not-here",
        "Folders: the account owns its casebook and backups, not its home nor its keys",
        "The code: a wheel of this checkout in a root-owned virtual environment",
        "The commands on the PATH: casebook (this server's casebook) and casebook-ssh-key",
        f"The casebook in {home}/data",
        "sshd: the account's logins expose their key, forward nothing",
        "systemd: the nightly import and control, the nightly backup",
        "Done",
    ]
    for line in (
        f"+ adduser --system --group --home {home} --no-create-home --shell /bin/sh",
        f"+ chown root:cbk-not-here {home} ",
        f"+ chmod 0750 {home} ",
        f"+ chown root:cbk-not-here {home}/.ssh/authorized_keys ",
        f"+ chmod 0640 {home}/.ssh/authorized_keys ",
        f"+ chown cbk-not-here:cbk-not-here {home}/data ",
        f"+ chmod 0700 {home}/data ",
        "+ chown -R root:root /opt/casebook ",
        "-m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir",
        "-m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps",
        '    |     exec runuser -u "cbk-not-here" -- "/usr/local/bin/casebook" "$@"',
        f'    | CASEBOOK_HOME="{home}/data"',
        "+ /usr/local/bin/casebook init --admin an --full-name ",
        "    |     ExposeAuthInfo yes",
        "    | ExecStart=/usr/local/bin/casebook backup /var/backups/casebook --keep 14",
    ):
        assert line in out, line
    assert not home.exists()


def test_the_script_stops_where_a_step_cannot_be_done(environment: dict[str, str], tmp_path: Path) -> None:
    missing_admin = run(
        [str(SCRIPT), "--prefix", str(tmp_path / "root"), "--account", "cbk-not-here"], environment, tmp_path
    )
    unknown = run([str(SCRIPT), "--colour", "blue"], environment, tmp_path)

    assert missing_admin.returncode == 1 and "--account must name an account that exists" in missing_admin.stderr
    assert unknown.returncode == 1 and "unknown option: --colour" in unknown.stderr
    assert not (tmp_path / "root").exists()


# -- for real, in a throwaway root -----------------------------------------------------------------------


def test_installed_twice_in_a_throwaway_root_then_the_readme_commands_run_as_printed(
    environment: dict[str, str], wheels: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    me = getpass.getuser()
    on_path = {**environment, "PATH": f"{root}/usr/local/bin:{environment['PATH']}"}

    def in_root(text: str) -> str:
        """A README line with its absolute paths taken below the throwaway root."""
        for place in ("/srv/casebook", "/var/backups/casebook", "/var/log/", "/usr/local/bin/"):
            text = text.replace(place, f"{root}{place}")
        return text

    # The README's install line, with what only a throwaway root needs added.
    (install,) = [line for _, lines in blocks(server_section()) for line in lines if "install-server.sh" in line]
    argv = [str(ROOT / shlex.split(install)[0])] + shlex.split(install)[1:]
    argv += ["--prefix", str(root), "--account", me, "--wheel", str(wheels), "--python", sys.executable]

    first = run(argv, on_path, tmp_path, CASEBOOK_NEW_PASSPHRASE=ADMIN_PASSPHRASE)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Casebook aangemaakt in" in first.stdout

    home, data = root / "srv/casebook", root / "srv/casebook/data"
    assert (mode(home), mode(home / ".ssh"), mode(home / ".ssh/authorized_keys")) == (0o750, 0o750, 0o640)
    assert (mode(data), mode(data / "casebook.db"), mode(data / "casebook.key")) == (0o700, 0o600, 0o600)
    assert mode(root / "var/backups/casebook") == 0o700
    wrapper = (root / "usr/local/bin/casebook").read_text()
    assert f'CASEBOOK_HOME="{data}"' in wrapper and f'exec "{root}/opt/casebook/venv/bin/casebook"' in wrapper
    assert "ExposeAuthInfo yes" in (root / "etc/ssh/sshd_config.d/casebook.conf").read_text()
    daily = (root / "usr/local/lib/systemd/system/casebook-daily.service").read_text()
    assert f"ExecStart={root}/usr/local/bin/casebook import /var/log/squid/access.log.1" in daily

    # A key added by hand and an edited unit between the runs: the second run leaves them, and all else.
    with (home / ".ssh/authorized_keys").open("a") as keys:
        keys.write('restrict,command="echo" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== kept\n')
    before = tree(root)
    data_before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    second = run(argv, on_path, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "exists: left as it is" in second.stdout
    changed = {path for path, seen in tree(root).items() if before.get(path) != seen}
    # pip's reinstall of the same build rewrites its own files; nothing else moves.
    assert {path for path in changed if not path.startswith("opt/casebook/venv/")} == set()
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == data_before
    assert "kept" in (home / ".ssh/authorized_keys").read_text()

    # The README's commands, as printed (below the throwaway root), in the README's order.
    (tmp_path / "ilse.pub").write_text(PUBLIC_KEY + "\n")
    (root / "var/log/squid").mkdir(parents=True)
    shutil.copy(SAMPLES / "squid-access.log", root / "var/log/squid/access.log.1")
    section = server_section()
    commands: list[str] = []
    for language, lines in blocks(section):
        for line in lines:
            if "install-server.sh" in line or line.startswith(NEEDS_SYSTEMD):
                continue
            if language == "sh":
                commands.append(line)
            elif re.match(r"^[\d*/,-]+( [\d*/,-]+){4}\s", line):  # a cron line: minute hour day month weekday
                commands.append(line.split(None, 6)[6])
            elif line.startswith("/usr/local/bin/casebook"):  # the logrotate hook
                commands.append(line)
    inline = [c for c in re.findall(r"`(casebook --user [^`]+)`", section)]
    assert inline and len(commands) >= 6
    ran = []
    for command in commands + inline:
        done = run(
            ["bash", "-c", in_root(command)],
            on_path,
            tmp_path,
            CASEBOOK_PASSPHRASE=ADMIN_PASSPHRASE,
            CASEBOOK_NEW_PASSPHRASE=ADMIN_PASSPHRASE,
        )
        ran.append((command, done.returncode, done.stderr))

    # On a policy nobody filled in yet, purge and the control refuse by the policy's rules (exit 3, naming
    # the policy); everything else succeeds.
    def refused_by_the_policy(command: str, code: int, err: str) -> bool:
        return command.endswith(("casebook purge", "casebook irregularities")) and code == 3 and "policy" in err

    failed = [(c, code, err) for c, code, err in ran if code != 0 and not refused_by_the_policy(c, code, err)]
    assert failed == []

    keys = (home / ".ssh/authorized_keys").read_text()
    assert f'restrict,pty,command="{root}/usr/local/bin/casebook --as ilse" {PUBLIC_KEY}\n' in keys
    with closing(sqlite3.connect(data / "casebook.db")) as conn:
        trail = conn.execute("SELECT actor, action, detail FROM audit ORDER BY id").fetchall()
        users = {row[0]: bool(row[1]) for row in conn.execute("SELECT name, ssh_login FROM users")}
    assert users == {"an": False, "ilse": True}
    assert ("scheduler", "logs.imported") in {(actor, action) for actor, action, _ in trail}
    assert {json.loads(detail)["method"] for actor, action, detail in trail if action == "signin.ok"} == {
        "passphrase",
        "scheduler",
    }
    (backup,) = (root / "var/backups/casebook").iterdir()
    assert (mode(backup), mode(backup / "casebook.db"), mode(backup / "casebook.key")) == (0o700, 0o600, 0o600)
    verified = run(
        ["casebook", "--user", "an", "audit", "verify"], on_path, tmp_path, CASEBOOK_PASSPHRASE=ADMIN_PASSPHRASE
    )
    assert verified.returncode == 0, verified.stderr


# -- casebook-ssh-key ---------------------------------------------------------------------------------


def key_line(tmp_path: Path, *args: str, key: str = PUBLIC_KEY) -> subprocess.CompletedProcess[str]:
    (tmp_path / "key.pub").write_text(key + "\n")
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / "casebook-ssh-key"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_key_line_fixes_the_person_and_allows_nothing_but_the_app(tmp_path: Path) -> None:
    done = key_line(tmp_path, "ilse", "key.pub")

    assert done.returncode == 0, done.stderr
    assert done.stdout == f'restrict,pty,command="/usr/local/bin/casebook --as ilse" {PUBLIC_KEY}\n'


@pytest.mark.parametrize(
    ("name", "key", "says"),
    [
        ("Ilse", PUBLIC_KEY, "not a casebook user name"),
        ('ilse" evil', PUBLIC_KEY, "not a casebook user name"),
        ("scheduler", PUBLIC_KEY, "built-in scheduler"),
        ("ilse", f'command="/bin/sh" {PUBLIC_KEY}', "not a public key line"),
        ("ilse", "ssh-ed25519 AAAA$(reboot)", "not base64"),
        ("ilse", f"{PUBLIC_KEY}\n{PUBLIC_KEY}", "more than one key"),
        ("ilse", "# only a comment", "no public key"),
    ],
)
def test_the_key_line_takes_nothing_that_could_widen_it(tmp_path: Path, name: str, key: str, says: str) -> None:
    done = key_line(tmp_path, name, "key.pub", key=key)

    assert done.returncode == 1 and done.stdout == ""
    assert says in done.stderr


def test_a_comment_cannot_break_out_of_the_line(tmp_path: Path) -> None:
    key = PUBLIC_KEY.rsplit(" ", 1)[0] + ' ilse"\\,command="sh'

    done = key_line(tmp_path, "ilse", "key.pub", key=key)

    assert done.returncode == 0, done.stderr
    assert done.stdout.count('"') == 2 and done.stdout.endswith(" ilsecommandsh\n")
