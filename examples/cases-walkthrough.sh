#!/usr/bin/env bash
# Two cases from decision to sanction, by the rules of CAO nr. 81, from the command line.
#
# Run it from the repository's root with the project's virtual environment on PATH:
#
#     PATH=.venv/bin:$PATH examples/cases-walkthrough.sh
#
# It works in a temporary casebook (mktemp -d) that is removed at the end: your own casebook is
# never touched. What it shows, in the order an organisation lives it in November 2026:
#
#   1. the administrator sets up the casebook: the policy's fields, the people who act on cases, the
#      employee directory and who received the policy;
#   2. the IT officer imports the proxy's logs (pseudonymised at the door: no name is stored);
#   3. a purpose-1 case (an offensive site, after a complaint): decision, control, approval,
#      individualisation by someone else than the approver, notification, invitation, hearing, sanction;
#   4. a purpose-4 case (a site the policy blocks): decision, control, the collective warning to all
#      employees (the alarm bell), a new log, a control that finds the irregularity again AFTER the
#      warning, and only then approval, individualisation, notification, invitation, hearing, sanction;
#   5. the register of sanctions the law of 8 April 1965 asks for.
#
# The casebook's clock is set with CASEBOOK_NOW before each command, so the story runs over a
# fortnight in a few seconds. In real life you leave CASEBOOK_NOW unset.
#
# Every command here is one a person can type. Passphrases come from CASEBOOK_PASSPHRASE (the
# acting user's) and CASEBOOK_NEW_PASSPHRASE (a new user's) because this is a script; typed at a
# terminal, casebook asks for them instead.

set -euo pipefail

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export CASEBOOK_HOME="$WORK/casebook"   # the casebook's folder: database and key, both 0600
export CASEBOOK_LANG="${CASEBOOK_LANG:-nl}"  # what casebook says: Dutch, or run with CASEBOOK_LANG=en

# The people in this story and their (made-up) passphrases.
#   an     the administrator: users, the policy, the directory, receipts
#   sofie  supervisor (toezichthoudend personeel): decides, approves, warns, hears, sanctions
#   ilse   IT officer (ict-verantwoordelijke): imports logs, runs the control, individualises
passphrase() { echo "walkthrough-passphrase-of-$1"; }

# Run one casebook command as one person: `as_user sofie case list`.
as_user() {
    local who="$1"
    shift
    CASEBOOK_PASSPHRASE="$(passphrase "$who")" casebook --user "$who" "$@"
}

# Move the casebook's clock (Brussels time) and say what happens next.
at() {
    export CASEBOOK_NOW="$1"
    printf '\n### %s: %s\n' "$1" "$2"
}

# Squid writes each request's time as seconds since 1970 (UTC); this turns a Brussels time into that.
epoch() {
    python -c 'import sys, datetime, zoneinfo
moment = datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
print(int(moment.timestamp()))' "$1"
}

# One line of Squid's native access.log: time, elapsed ms, client, result, bytes, method, URL, user, ...
squid_line() {
    local when="$1" client="$2" user="$3" host="$4"
    printf '%s.000 120 %s TCP_MISS/200 2048 GET http://%s/ %s HIER_DIRECT/192.0.2.10 text/html\n' \
        "$(epoch "$when")" "$client" "$host" "$user"
}

# ------------------------------------------------------------------------------------------------
at 2026-11-02T08:00:00+01:00 "the administrator sets up the casebook"

CASEBOOK_NEW_PASSPHRASE="$(passphrase an)" casebook init --admin an --full-name "An Peeters"
CASEBOOK_NEW_PASSPHRASE="$(passphrase sofie)" \
    as_user an user add sofie --role supervisor --full-name "Sofie Janssens"
CASEBOOK_NEW_PASSPHRASE="$(passphrase ilse)" \
    as_user an user add ilse --role it_officer --full-name "Ilse Claes"

# The policy's open fields. No control may start before they are filled in, the works council was
# informed and the date in force has come (`casebook policy check` says what is still missing).
# This organisation adopted purposes 1 and 4 and announced control on an event only (a complaint
# or a suspicion): outside a case, the rules do not run at all.
as_user an policy set \
    "organisation_name=vzw De Werf" \
    "date_in_force=2026-11-02" \
    "bodies_present=works_council, union_delegation" \
    "consultation_body=works_council, union_delegation" \
    "consultation_date=2026-10-20" \
    "evaluation_body=ondernemingsraad" \
    "purposes=1,4" \
    "control_mode=event" \
    "control_means=proxylogs op de server" \
    "retention_days=90" \
    "storage_location=de centrale server" \
    "mail_domains=dewerf.be" \
    "blocked_sites=unibet.be" \
    "sanctions=schriftelijke verwittiging, blaam"
as_user an policy check

# The employee directory: how each person appears in the logs (here, their proxy user name).
cat >"$WORK/staff.csv" <<'CSV'
name,email,department,proxy_user
Jan Peeters,jan.peeters@dewerf.be,Logistiek,jpeeters
Eva Maes,eva.maes@dewerf.be,Onthaal,emaes
Tom Claes,tom.claes@dewerf.be,Magazijn,tclaes
CSV
as_user an employees import "$WORK/staff.csv"

# Who received the policy (their signed ONTVANGSTBEWIJS, CAO 81 art. 8). Tom has not signed yet:
# he cannot fairly be proceeded against for breaking a policy he never received.
as_user an receipts record jan.peeters@dewerf.be --method paper --date 2026-11-02
as_user an receipts record eva.maes@dewerf.be --method paper --date 2026-11-02
as_user an receipts list --missing

# ------------------------------------------------------------------------------------------------
# Tuesday 3 November, as the proxy logged it: Jan on an adult site; Eva tries a gambling site the
# policy blocks.
{
    squid_line 2026-11-03T10:15:00 10.20.0.5 jpeeters www.pornhub.com
    squid_line 2026-11-03T10:17:00 10.20.0.5 jpeeters www.pornhub.com
    squid_line 2026-11-03T11:02:00 10.20.0.9 emaes www.unibet.be
} >"$WORK/access-1.log"

at 2026-11-04T08:30:00+01:00 "the IT officer imports the log"
as_user ilse import "$WORK/access-1.log"

# ------------------------------------------------------------------------------------------------
# Case 1, purpose 1: a colleague complained about an adult site on a screen in the warehouse.

at 2026-11-04T09:00:00+01:00 "the supervisor decides on a control (case 1)"
as_user sofie case open --purpose 1 --circumstance event --from 2026-11-02 --to 2026-11-04 \
    --reason "Klacht van een collega: op een scherm in de logistiek stond een pornografische site open."

at 2026-11-04T09:10:00+01:00 "the IT officer runs the control over the case's scope: global, no names"
as_user ilse case control 1

at 2026-11-04T09:30:00+01:00 "the supervisor approves the individualisation"
as_user sofie case approve 1

# Four eyes: whoever approved never carries the individualisation out; the IT officer does.
at 2026-11-04T10:00:00+01:00 "the IT officer individualises: the one use of the key backwards, audited"
as_user ilse case individualise 1

at 2026-11-04T10:30:00+01:00 "the supervisor notifies Jan and invites him to a hearing"
as_user sofie case notify 1 jan.peeters@dewerf.be
as_user sofie case invite 1 jan.peeters@dewerf.be --at 2026-11-06T14:00 --place "vergaderzaal 1"
# The invitation as sent (Dutch), written to a file to print; --lang en gives staff a translation.
as_user sofie case letter 1 invitation --person jan.peeters@dewerf.be --out "$WORK/uitnodiging-jan.md"

# ------------------------------------------------------------------------------------------------
# Case 2, purpose 4: the network administrator saw attempts on a gambling site the policy blocks.

at 2026-11-04T10:45:00+01:00 "the supervisor decides on a control (case 2)"
as_user sofie case open --purpose 4 --circumstance event --from 2026-11-02 --to 2026-11-13 \
    --reason "Melding van de netwerkbeheerder: pogingen op een gokssite die de policy blokkeert."

at 2026-11-04T10:50:00+01:00 "the IT officer runs the control"
as_user ilse case control 2

# Purpose 4 is the alarm bell (CAO 81 art. 17): first ALL employees are told that the irregularity
# exists and that a similar one found again will be individualised. This is the draft, made from
# the case; edit it and give it with `case warn 2 --text-file FILE` if you want other words.
at 2026-11-04T11:00:00+01:00 "the supervisor issues the collective warning"
as_user sofie case letter 2 warning
as_user sofie case warn 2 --told-how "e-mail aan alle werknemers en bericht op het intranet"

# Approving now is refused: nothing was found again after the warning (exit code 3, the rule named).
if as_user sofie case approve 2; then
    echo "unexpected: an approval before any recurrence" >&2
    exit 1
fi

# ------------------------------------------------------------------------------------------------
# Thursday 5 November, after the warning: Eva again on the blocked site, and Tom too.
{
    squid_line 2026-11-05T10:30:00 10.20.0.9 emaes www.unibet.be
    squid_line 2026-11-05T14:00:00 10.20.0.9 emaes www.unibet.be
    squid_line 2026-11-05T15:20:00 10.20.0.7 tclaes www.unibet.be
} >"$WORK/access-2.log"

at 2026-11-06T08:30:00+01:00 "the IT officer imports the new log and runs the control again"
as_user ilse import "$WORK/access-2.log"
as_user ilse case control 2

at 2026-11-06T09:00:00+01:00 "a recurrence after the warning: the supervisor approves, the IT officer individualises"
as_user sofie case approve 2
as_user ilse case individualise 2
# Only events after the warning were resolved: Eva's attempt of 3 November stays unlinked. Tom held
# no receipt of the policy: the case records him as not informed and no step is taken against him.

at 2026-11-06T09:30:00+01:00 "the supervisor notifies Eva and invites her"
as_user sofie case notify 2 eva.maes@dewerf.be
as_user sofie case invite 2 eva.maes@dewerf.be --at 2026-11-09T10:00 --place "bureau van de personeelsdienst"

# What waits, on every case (overdue steps are marked in words).
as_user sofie case list --due

# ------------------------------------------------------------------------------------------------
at 2026-11-06T15:00:00+01:00 "case 1: the hearing took place; minutes, then the decision"
cat >"$WORK/verslag-jan.txt" <<'TXT'
Jan verklaart dat een advertentie in een nieuwsbericht de site opende en dat hij ze meteen sloot.
Hij betwist niet dat het gebeurde en zal voortaan voorzichtiger zijn.
TXT
as_user sofie case hear 1 jan.peeters@dewerf.be --minutes-file "$WORK/verslag-jan.txt"
# A sanction the work rules list, by its name as the policy writes it.
as_user sofie case sanction 1 jan.peeters@dewerf.be --kind "schriftelijke verwittiging"
as_user sofie case close 1 --outcome "schriftelijke verwittiging gegeven"
as_user sofie case show 1

# ------------------------------------------------------------------------------------------------
at 2026-11-09T11:00:00+01:00 "case 2: the hearing took place; minutes, then the decision"
cat >"$WORK/verslag-eva.txt" <<'TXT'
Eva erkent dat ze tijdens de middagpauze probeerde te gokken; ze wist niet dat de site geblokkeerd was.
TXT
as_user sofie case hear 2 eva.maes@dewerf.be --minutes-file "$WORK/verslag-eva.txt" \
    --delegate "Marc Lenaerts (vakbondsafgevaardigde)"
# A partial restriction of her internet access until the end of the year.
as_user sofie case sanction 2 eva.maes@dewerf.be --kind restriction --restricts internet --partial \
    --until 2026-12-31 --detail "geen toegang tot gokssites"
as_user sofie case show 2
as_user sofie case close 2 --outcome "gedeeltelijke beperking van de internettoegang tot eind 2026"

# ------------------------------------------------------------------------------------------------
at 2026-11-09T11:30:00+01:00 "the cases, and the register of sanctions"
as_user sofie case list
as_user sofie case list --sanctions
