"""The demo's cases: the procedure at every step, taken day by day over the four weeks of the office's log.

The policy announces periodic and event-driven control, so the rules run only inside a case. The
demo keeps:
1. a purpose-1 case (a complaint about an adult site on a screen): individualised, notified,
   invited and heard; its decision waits;
2. a purpose-4 test period: gambling found, the collective warning sent, and a control since that
   found no recurrence: it waits;
3. a purpose-3 case (the antivirus reported a malware host): the employee heard and dismissed for
   serious cause, the deadline for the written reasons running;
4. a purpose-1 case about a quiet week: nothing found, closed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from casebook import cases
from casebook import clock as clocks
from casebook.book import Casebook
from casebook.cases import Circumstance, SanctionKind
from casebook.session import Session


class _Days:
    """Moves the casebook's clock forward through the demo's weeks, and signs the demo's people in."""

    def __init__(
        self, book: Casebook, monday: date, passphrases: dict[str, str], sessions: dict[str, Session] | None = None
    ) -> None:
        self.book = book
        self.monday = monday
        self.passphrases = passphrases
        self.sessions: dict[str, Session] = {} if sessions is None else sessions

    def moment(self, day: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.monday + timedelta(days=day), time(hour, minute), clocks.LOCAL_ZONE)

    def at(self, day: int, hour: int, minute: int = 0) -> None:
        self.book.clock = clocks.FixedClock(self.moment(day, hour, minute))

    def session(self, name: str) -> Session:
        """One sign-in per person for the whole demo (scrypt is slow on purpose)."""
        if name not in self.sessions:
            self.sessions[name] = self.book.login(name, self.passphrases[name])
        return self.sessions[name]

    def date(self, day: int) -> date:
        return self.monday + timedelta(days=day)


def build(
    book: Casebook, monday: date, passphrases: dict[str, str], sessions: dict[str, Session] | None = None
) -> dict[str, int]:
    """Take the demo's steps, each at its moment; the casebook's own clock is back in place after.

    `sessions` shares the demo's sign-ins (one per person); returns the cases' ids by their story.
    """
    real = book.clock
    today = clocks.local(real.now()).date()
    d = _Days(book, monday, passphrases, sessions)
    try:
        return {
            "heard": _heard(d),
            "waiting": _waiting_for_recurrence(d),
            "dismissal": _dismissal(d, (today - monday).days, real),
            "nothing_found": _nothing_found(d),
        }
    finally:
        book.clock = real


def _heard(d: _Days) -> int:
    d.at(3, 9)
    opened = cases.open_case(
        d.session("sofie"),
        1,
        Circumstance.EVENT,
        d.date(0),
        d.date(4),
        "klacht van een collega uit de logistiek: op een scherm in het magazijn stond een pornografische site open",
    )
    case_id = opened.case_id
    d.at(3, 10)
    cases.control(d.session("ilse"), case_id)
    d.at(3, 11)
    cases.approve(d.session("sofie"), case_id)
    d.at(3, 14)
    cases.individualise(d.session("ilse"), case_id)
    d.at(4, 9)
    sofie = d.session("sofie")
    cases.notify(sofie, case_id, "tom.wouters@dewerf.be")
    cases.invite(sofie, case_id, "tom.wouters@dewerf.be", d.moment(9, 10), "bureau van de personeelsdienst")
    d.at(9, 11)
    cases.hear(
        d.session("sofie"),
        case_id,
        "tom.wouters@dewerf.be",
        "Tom verklaart dat hij een link in een bericht op sociale media volgde en de site meteen sloot; "
        "hij betwist niet dat het gebeurde en zal voortaan voorzichtiger zijn.",
        delegate="Marc Lenaerts (vakbondsafgevaardigde)",
    )
    return case_id


def _waiting_for_recurrence(d: _Days) -> int:
    d.at(14, 8, 30)
    opened = cases.open_case(
        d.session("sofie"),
        4,
        Circumstance.PERIODIC,
        d.date(14),
        d.date(27),
        "testperiode van twee weken: naleving van de regels over privégebruik tijdens de werkuren",
    )
    case_id = opened.case_id
    d.at(20, 9)
    cases.control(d.session("ilse"), case_id)
    d.at(20, 14)
    cases.warn(d.session("sofie"), case_id, "e-mail aan alle werknemers en bericht op het intranet")
    d.at(27, 18)
    cases.control(d.session("ilse"), case_id)  # no recurrence since the warning: the case waits
    return case_id


def _dismissal(d: _Days, today: int, real: clocks.Clock) -> int:
    d.at(12, 9)
    opened = cases.open_case(
        d.session("sofie"),
        3,
        Circumstance.EVENT,
        d.date(7),
        d.date(13),
        "de antivirus van de proxyserver meldde herhaalde verbindingen met een malwaresite en een ongewone "
        "downloadpiek die het netwerk vertraagde",
    )
    case_id = opened.case_id
    d.at(12, 10)
    cases.control(d.session("ilse"), case_id)
    d.at(12, 11)
    cases.approve(d.session("sofie"), case_id)
    d.at(12, 15)
    cases.individualise(d.session("ilse"), case_id)
    d.at(13, 9)
    sofie = d.session("sofie")
    cases.notify(sofie, case_id, "karim.bakkali@dewerf.be")
    cases.invite(sofie, case_id, "karim.bakkali@dewerf.be", d.moment(today - 1, 10), "bureau van de directie")
    d.at(today - 1, 11)
    cases.hear(
        d.session("sofie"),
        case_id,
        "karim.bakkali@dewerf.be",
        "Karim erkent dat hij via de werkpost films downloadde en een gekraakt programma probeerde te installeren; "
        "hij wist dat de policy dit verbiedt.",
    )
    d.book.clock = real  # the decision is today's: its art. 35 deadlines run from now
    cases.sanction(d.session("sofie"), case_id, "karim.bakkali@dewerf.be", SanctionKind.DISMISSAL)
    return case_id


def _nothing_found(d: _Days) -> int:
    d.at(27, 9)
    opened = cases.open_case(
        d.session("sofie"),
        1,
        Circumstance.EVENT,
        d.date(21),
        d.date(27),
        "melding van een bezoeker over een haatdragende site op een onthaalscherm",
    )
    d.at(27, 10)
    cases.control(d.session("ilse"), opened.case_id)
    return opened.case_id
