#!/bin/bash
# Install Casebook on a Debian 12 server, or update it: run as root from a checkout of the repository.
#
#   deploy/install-server.sh --admin an --full-name "An Peeters"
#
# Every step looks before it acts, so running it again (after `git pull`, say) updates the code and
# puts owners and modes right, and changes nothing else: the casebook, the keys in authorized_keys
# and anything an administrator edited stay as they are. `--help` lists the options.
set -euo pipefail
umask 022

ACCOUNT=casebook
SERVICE_HOME=/srv/casebook
DATA=
APP=/opt/casebook
BIN=/usr/local/bin
BACKUPS=/var/backups/casebook
LOG_GROUPS=proxy,adm
ADMIN=
FULL_NAME=
WHEEL=
PYTHON=python3
PREFIX=
DRY_RUN=
WROTE=
SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_GIVEN=

usage() {
    cat <<'EOF'
Usage: deploy/install-server.sh [options]

Installs Casebook as root: a service account that owns only the casebook's folder, the code in a
root-owned virtual environment built from a wheel of this checkout, the casebook itself (`init`),
a `casebook` command on the PATH that acts on it, the SSH set-up of the account, the systemd units
of the scheduled control and the backups. Safe to run again: it updates, it never overwrites data.

  --admin NAME        the first administrator (needed when there is no casebook yet)
  --full-name TEXT    the administrator's full name
  --account NAME      the service account (default: casebook)
  --home DIR          the service account's home, where .ssh lives (default: /srv/casebook)
  --data DIR          the casebook's folder (default: HOME/data)
  --app DIR           where the code goes (default: /opt/casebook)
  --bin DIR           where the `casebook` and `casebook-ssh-key` commands go (default: /usr/local/bin)
  --backups DIR       where `casebook backup` writes (default: /var/backups/casebook)
  --log-groups LIST   groups whose logs the account may read, comma-separated (default: proxy,adm)
  --wheel FILE        install this wheel of Casebook instead of building one from the checkout
  --python CMD        the Python (3.11 or newer) of the virtual environment (default: python3)
  --prefix DIR        install below DIR, a throwaway root for trying the script (the account must exist)
  --dry-run           print every step and change nothing
  -h, --help          this text

The first administrator's passphrase is asked on the terminal, or read from CASEBOOK_NEW_PASSPHRASE.
EOF
}

die() {
    printf 'install-server.sh: %s\n' "$*" >&2
    exit 1
}

need_value() {
    [ "$#" -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"
}

while [ "$#" -gt 0 ]; do
    case "$1" in
        --admin) need_value "$@"; ADMIN=$2; shift 2 ;;
        --full-name) [ "$#" -ge 2 ] || die "--full-name needs a value"; FULL_NAME=$2; shift 2 ;;
        --account) need_value "$@"; ACCOUNT=$2; shift 2 ;;
        --home) need_value "$@"; SERVICE_HOME=$2; HOME_GIVEN=yes; shift 2 ;;
        --data) need_value "$@"; DATA=$2; shift 2 ;;
        --app) need_value "$@"; APP=$2; shift 2 ;;
        --bin) need_value "$@"; BIN=$2; shift 2 ;;
        --backups) need_value "$@"; BACKUPS=$2; shift 2 ;;
        --log-groups) [ "$#" -ge 2 ] || die "--log-groups needs a value"; LOG_GROUPS=$2; shift 2 ;;
        --wheel) need_value "$@"; WHEEL=$(realpath "$2"); shift 2 ;;
        --python) need_value "$@"; PYTHON=$2; shift 2 ;;
        --prefix) need_value "$@"; PREFIX=$(realpath -m "$2"); shift 2 ;;
        --dry-run) DRY_RUN=yes; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

# -- how each step is done ----------------------------------------------------------------------

step() {
    printf '\n== %s\n' "$*"
}

say() {
    printf '   %s\n' "$*"
}

# Show a command, then run it (not under --dry-run).
run() {
    printf '+ %s\n' "$(printf '%q ' "$@")"
    [ -n "$DRY_RUN" ] || "$@"
}

# A folder with its owner, group and mode, made or put right.
folder() {
    local path=$1 owner=$2 group=$3 mode=$4
    if [ ! -d "$path" ]; then
        run mkdir -p "$path"
    fi
    run chown "$owner:$group" "$path"
    run chmod "$mode" "$path"
}

# A file of ours (stdin) with its owner, group and mode: written when its content changed, else left.
# WROTE says afterwards whether it was written.
install_text() {
    local path=$1 owner=$2 group=$3 mode=$4 text
    text=$(cat)
    WROTE=yes
    if [ -n "$DRY_RUN" ]; then
        printf '+ write %s (%s:%s %s):\n' "$path" "$owner" "$group" "$mode"
        printf '%s\n' "$text" | sed 's/^/    | /'
        return
    fi
    if [ -f "$path" ] && [ "$(cat "$path")" = "$text" ]; then
        WROTE=
        say "$path: unchanged"
    else
        local temp
        temp=$(mktemp "$(dirname "$path")/.install.XXXXXX")
        printf '%s\n' "$text" >"$temp"
        mv -f "$temp" "$path"
        say "$path: written"
    fi
    chown "$owner:$group" "$path"
    chmod "$mode" "$path"
}

# -- where everything goes ----------------------------------------------------------------------

if [ -n "$PREFIX" ]; then
    # A throwaway root: every path lies below it, the account is one that exists, nothing of the system
    # (users, groups, sshd, systemd) is touched, and the files belong to whoever runs the script.
    OWNER=$(id -un)
    ROOT_GROUP=$(id -gn)
else
    OWNER=root
    ROOT_GROUP=root
fi

if ! [ -n "$PREFIX" ] && [ "$(id -u)" != 0 ] && [ -z "$DRY_RUN" ]; then
    die "run this as root (or try it with --prefix DIR or --dry-run)"
fi

if id -u "$ACCOUNT" >/dev/null 2>&1; then
    ACCOUNT_EXISTS=yes
    PASSWD_HOME=$(getent passwd "$ACCOUNT" | cut -d: -f6)
    if [ -z "$PREFIX" ] && [ "$PASSWD_HOME" != "$SERVICE_HOME" ]; then
        # sshd looks for .ssh in the home the password database gives, whatever was asked here.
        [ -z "$HOME_GIVEN" ] || die "$ACCOUNT exists with home $PASSWD_HOME, not $SERVICE_HOME"
        SERVICE_HOME=$PASSWD_HOME
    fi
else
    ACCOUNT_EXISTS=
    [ -z "$PREFIX" ] || die "with --prefix, --account must name an account that exists (e.g. --account $(id -un))"
fi

DATA=${DATA:-$SERVICE_HOME/data}
HOME_DIR=$PREFIX$SERVICE_HOME
DATA_DIR=$PREFIX$DATA
APP_DIR=$PREFIX$APP
BIN_DIR=$PREFIX$BIN
BACKUP_DIR=$PREFIX$BACKUPS
SSHD_DIR=$PREFIX/etc/ssh/sshd_config.d
UNIT_DIR=$PREFIX/usr/local/lib/systemd/system
VENV=$APP_DIR/venv
COMMAND=$BIN_DIR/casebook

# -- 1. Python ----------------------------------------------------------------------------------

step "Python 3.11 or newer, with venv"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    [ -z "$PREFIX" ] || die "$PYTHON not found"
    run apt-get install -y python3 python3-venv
fi
if [ -z "$DRY_RUN" ] || command -v "$PYTHON" >/dev/null 2>&1; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "$PYTHON is older than 3.11"
    if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        [ -z "$PREFIX" ] || die "$PYTHON has no venv module"
        run apt-get install -y python3-venv
    fi
    say "$("$PYTHON" --version)"
fi

# -- 2. the service account ---------------------------------------------------------------------

step "The service account $ACCOUNT"
if [ -z "$ACCOUNT_EXISTS" ]; then
    # A shell of /bin/sh: sshd runs every forced command through it. No password: it is reached by key only.
    run adduser --system --group --home "$SERVICE_HOME" --no-create-home --shell /bin/sh \
        --comment "Casebook service account" "$ACCOUNT"
elif [ -z "$PREFIX" ]; then
    shell=$(getent passwd "$ACCOUNT" | cut -d: -f7)
    case "$shell" in
        */nologin | */false | "") run usermod --shell /bin/sh "$ACCOUNT" ;;
        *) say "exists (shell $shell, home $SERVICE_HOME)" ;;
    esac
fi
if [ -z "$PREFIX" ]; then
    IFS=, read -r -a groups <<<"$LOG_GROUPS"
    for group in "${groups[@]}"; do
        [ -n "$group" ] || continue
        if ! getent group "$group" >/dev/null; then
            say "no group $group here (yet): skipped; run this again once its logs exist"
        elif id -nG "$ACCOUNT" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
            say "member of $group (may read its logs)"
        else
            run usermod --append --groups "$group" "$ACCOUNT"
        fi
    done
fi

# -- 3. folders ---------------------------------------------------------------------------------

step "Folders: the account owns its casebook and backups, not its home nor its keys"
# The home and .ssh belong to root: the account cannot swap authorized_keys for one of its own.
# sshd accepts a root-owned authorized_keys it can read as the account: group casebook, mode 0640.
folder "$HOME_DIR" "$OWNER" "$ACCOUNT" 0750
folder "$HOME_DIR/.ssh" "$OWNER" "$ACCOUNT" 0750
if [ ! -e "$HOME_DIR/.ssh/authorized_keys" ]; then
    run touch "$HOME_DIR/.ssh/authorized_keys"
fi
run chown "$OWNER:$ACCOUNT" "$HOME_DIR/.ssh/authorized_keys"
run chmod 0640 "$HOME_DIR/.ssh/authorized_keys"
folder "$DATA_DIR" "$ACCOUNT" "$ACCOUNT" 0700
for own in "$DATA_DIR"/casebook.db "$DATA_DIR"/casebook.db-wal "$DATA_DIR"/casebook.db-shm "$DATA_DIR"/casebook.key \
    "$DATA_DIR"/casebook.anchor; do
    if [ -e "$own" ]; then
        run chown "$ACCOUNT:$ACCOUNT" "$own"
        run chmod 0600 "$own"
    fi
done
# Where the app writes its exports (the setting exports_folder), for root to collect.
folder "$DATA_DIR/exports" "$ACCOUNT" "$ACCOUNT" 0700
folder "$BACKUP_DIR" "$ACCOUNT" "$ACCOUNT" 0700
folder "$APP_DIR" "$OWNER" "$ROOT_GROUP" 0755
[ -d "$BIN_DIR" ] || folder "$BIN_DIR" "$OWNER" "$ROOT_GROUP" 0755
if [ -d "$HOME_DIR/venv" ]; then
    say "an earlier install's $HOME_DIR/venv (the account's own, so it could change its code) is not used any more:"
    say "remove it with: rm -r $HOME_DIR/venv"
fi

# -- 4. the code --------------------------------------------------------------------------------

step "The code: a wheel of this checkout in a root-owned virtual environment"
# A venv made from another Python (a Debian upgrade, --python) is made again.
want=$("$PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null || echo "?")
have=$(realpath -e "$VENV/bin/python" 2>/dev/null || echo none)
if [ "$have" != "$want" ]; then
    [ ! -e "$VENV" ] || run rm -rf "$VENV"
    run "$PYTHON" -m venv "$VENV"
fi
if [ -z "$PREFIX" ] && [ -z "$DRY_RUN" ] && ! runuser -u "$ACCOUNT" -- "$VENV/bin/python" -c '' 2>/dev/null; then
    die "$ACCOUNT cannot run $want (a Python in a private folder?): give --python /usr/bin/python3"
fi
BUILD=
if [ -z "$WHEEL" ]; then
    [ -f "$SOURCE/pyproject.toml" ] || die "$SOURCE is not a checkout of Casebook: give --wheel FILE"
    BUILD=$(mktemp -d)
    trap 'rm -rf "$BUILD"' EXIT
    # Built from a copy: the build writes its by-products beside the sources, and the checkout stays clean.
    run tar -C "$SOURCE" --exclude=./.git --exclude=./.venv --exclude=./.demo --exclude=./build --exclude=./dist \
        --exclude='*.egg-info' --exclude=__pycache__ --exclude=.pytest_cache -cf "$BUILD/source.tar" .
    run mkdir "$BUILD/source" "$BUILD/dist"
    run tar -C "$BUILD/source" -xf "$BUILD/source.tar"
    run "$VENV/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir "$BUILD/dist" \
        "$BUILD/source"
    WHEEL=$BUILD/dist/cao81_casebook-VERSION-py3-none-any.whl
    [ -n "$DRY_RUN" ] || WHEEL=$(ls "$BUILD"/dist/cao81_casebook-*.whl)
fi
constraints=()
[ ! -f "$SOURCE/constraints.txt" ] || constraints=(--constraint "$SOURCE/constraints.txt")
# The dependencies at the versions the tests ran with, then this very build even when its version is unchanged.
run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${constraints[@]}" "$WHEEL"
run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
run chown -R "$OWNER:$ROOT_GROUP" "$APP_DIR"
[ -n "$DRY_RUN" ] || say "$("$VENV/bin/casebook" --version)"

# -- 5. the commands ----------------------------------------------------------------------------

step "The commands on the PATH: casebook (this server's casebook) and casebook-ssh-key"
install_text "$COMMAND" "$OWNER" "$ROOT_GROUP" 0755 <<EOF
#!/bin/sh
# This server's casebook (written by deploy/install-server.sh; run that again to change it).
# Root is switched to the service account, so that nothing of the casebook ever belongs to root.
if [ "\$(id -u)" = 0 ] && [ "\$(id -un)" != "$ACCOUNT" ]; then
    exec runuser -u "$ACCOUNT" -- "$COMMAND" "\$@"
fi
CASEBOOK_HOME="$DATA_DIR"
export CASEBOOK_HOME
exec "$VENV/bin/casebook" "\$@"
EOF
sed "s|^COMMAND=.*|COMMAND=$COMMAND|" "$SOURCE/deploy/casebook-ssh-key" |
    install_text "$BIN_DIR/casebook-ssh-key" "$OWNER" "$ROOT_GROUP" 0755

# -- 6. the casebook ----------------------------------------------------------------------------

step "The casebook in $DATA_DIR"
if [ -e "$DATA_DIR/casebook.db" ]; then
    say "exists: left as it is"
elif [ -z "$ADMIN" ]; then
    die "there is no casebook yet: give --admin NAME (and --full-name TEXT) for its first administrator"
else
    run "$COMMAND" init --admin "$ADMIN" --full-name "$FULL_NAME"
fi

# -- 7. sshd ------------------------------------------------------------------------------------

step "sshd: the account's logins expose their key, forward nothing"
sshd_conf=$SSHD_DIR/casebook.conf
if [ -z "$PREFIX" ] && [ ! -d "$SSHD_DIR" ]; then
    say "openssh-server is not installed: apt-get install openssh-server, then run this again"
else
    previous=
    [ ! -f "$sshd_conf" ] || previous=$(cat "$sshd_conf")
    [ -d "$SSHD_DIR" ] || run mkdir -p "$SSHD_DIR"
    install_text "$sshd_conf" "$OWNER" "$ROOT_GROUP" 0644 <<EOF
# Written by deploy/install-server.sh: how sshd treats the Casebook service account.
Match User $ACCOUNT
    # The key of each login reaches the app (SSH_USER_AUTH): its fingerprint goes into the audit trail.
    ExposeAuthInfo yes
    # Nothing but the app that each key's forced command starts.
    DisableForwarding yes
    PermitUserRC no
    PasswordAuthentication no
    KbdInteractiveAuthentication no
EOF
    if [ -z "$PREFIX" ] && [ -z "$DRY_RUN" ] && [ -n "$WROTE" ] && command -v sshd >/dev/null 2>&1; then
        # sshd -t wants the folder its service makes at start; without systemd (a container) it may be missing.
        [ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd
        if ! sshd -t; then
            if [ -n "$previous" ]; then printf '%s\n' "$previous" >"$sshd_conf"; else rm -f "$sshd_conf"; fi
            die "sshd refused the configuration; $sshd_conf is back as it was"
        fi
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet ssh 2>/dev/null; then
            run systemctl reload ssh
        else
            say "sshd reads it at its next start (or: kill -HUP \$(cat /run/sshd.pid))"
        fi
    fi
fi

# -- 8. systemd units ---------------------------------------------------------------------------

step "systemd: the nightly import and control, the nightly backup"
[ -d "$UNIT_DIR" ] || run mkdir -p "$UNIT_DIR"
for unit in casebook-daily.service casebook-daily.timer casebook-backup.service casebook-backup.timer; do
    sed -e "s|/usr/local/bin/casebook|$COMMAND|g" -e "s|/var/backups/casebook|$BACKUP_DIR|g" \
        -e "s|/srv/casebook/data|$DATA_DIR|g" -e "s|^User=casebook|User=$ACCOUNT|" \
        -e "s|^Group=casebook|Group=$ACCOUNT|" "$SOURCE/deploy/systemd/$unit" |
        install_text "$UNIT_DIR/$unit" "$OWNER" "$ROOT_GROUP" 0644
done
if [ -z "$PREFIX" ] && [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    run systemctl enable --now casebook-backup.timer
    say "the daily import and control starts once its logs are set: see README, \"Scheduled work\""
else
    say "systemd is not running here: the units are in place for when it does (or use the cron lines)"
fi

# -- done ---------------------------------------------------------------------------------------

step "Done"
say "casebook --user ADMIN user add NAME --role ROLE      add a person"
say "casebook-ssh-key NAME KEY.pub >> $HOME_DIR/.ssh/authorized_keys      let them in over SSH"
