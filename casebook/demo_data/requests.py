"""The demo's requests of the employees' rights, its legal hold and its purge, each at its moment.

The demo keeps, counted back from today:
- Jan Vermeulen's request for information, received 40 days ago and still in progress: overdue;
- Nadia El Amrani's rectification: the directory had the address of her PC as hers with no start, while
  she works at it only since she moved to Boekhouding; the administrator ended that (the period starts on
  her move), then granted it, and so it is done;
- Sofie Janssens's own access request, extended by two months with its reason;
- Eva Willems's own access request, granted: signed in as eva, she sees her data;
- Karim Bakkali's erasure, refused: his dismissal case is on legal hold since he announced a dispute
  before the labour court; the core refuses the erasure with the hold's rule, and the administrator
  records the refusal with that reason;
- a purge, run by the IT officer today, of the week of the office's log imported four months ago.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from casebook import access, retention
from casebook import clock as clocks
from casebook.access import Kind, Status, rectify
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.formatting import long_date
from casebook.i18n import t_in
from casebook.retention import PurgeReport
from casebook.session import Session

SignIn = Callable[[str], Session]
NADIA_PC = "10.20.1.22"  # the directory (employees.csv) has it as hers with no period
HOLD_REASON = "de werknemer kondigde een betwisting voor de arbeidsrechtbank aan"


def build(book: Casebook, sign_in: SignIn, dismissal_case: int) -> PurgeReport:
    """Take the requests' steps in time order; the casebook's clock is back in place after."""
    real = book.clock
    today = clocks.local(real.now()).date()

    def at(day: date, hour: int, minute: int = 0) -> None:
        book.clock = clocks.FixedClock(datetime.combine(day, time(hour, minute), clocks.LOCAL_ZONE))

    try:
        an, ilse = sign_in("an"), sign_in("ilse")
        at(today - timedelta(days=40), 10)
        jan = access.file(
            an,
            Kind.INFORMATION,
            text="Welke gegevens over mijn internetgebruik houdt de werkgever bij, en waarom?",
            for_email="jan.vermeulen@dewerf.be",
            identity_check="identiteitskaart getoond aan de beheerder",
        )
        at(today - timedelta(days=37), 9)
        access.start(ilse, jan.id)

        at(today - timedelta(days=25), 14)
        moved = (today - timedelta(days=25) - relativedelta(months=2)).replace(day=1)
        nadia = access.file(
            an,
            Kind.RECTIFICATION,
            text=f"In de werknemerslijst staat pc {NADIA_PC} zonder begindatum op mijn naam, maar ik werk er pas aan"
            f" sinds {long_date(moved, 'nl')}, toen ik naar Boekhouding kwam: wat die pc daarvoor deed, deed ik niet.",
            for_email="nadia.elamrani@dewerf.be",
            identity_check="brief met handtekening, nagegaan bij de personeelsdienst",
        )
        at(today - timedelta(days=24), 9)
        access.start(an, nadia.id)
        at(today - timedelta(days=22), 10)
        rectify.correct(
            an,
            nadia.id,
            {"ips": f"{NADIA_PC}@{moved.isoformat()}.."},
            "nagegaan bij ICT: de pc staat sinds haar overstap naar Boekhouding op haar bureau;"
            " daarvoor werkte er een uitzendkracht aan",
        )
        at(today - timedelta(days=20), 11)
        access.decide(an, nadia.id, Status.GRANTED)

        at(today - timedelta(days=20), 16)
        sofie = access.file(
            sign_in("sofie"), Kind.ACCESS, text="Graag een kopie van alle gegevens over mijn internet- en mailgebruik."
        )
        at(today - timedelta(days=14), 9, 30)
        eva = access.file(
            sign_in("eva"),
            Kind.ACCESS,
            text="Ik wil graag zien welke gegevens over mijn internetgebruik bewaard worden.",
        )
        at(today - timedelta(days=13), 9)
        access.start(ilse, sofie.id)
        access.start(ilse, eva.id)
        at(today - timedelta(days=10), 15)
        access.decide(an, eva.id, Status.GRANTED)
        at(today - timedelta(days=6), 10)
        access.extend(
            ilse,
            sofie.id,
            "de gegevens moeten uit de proxy- en de maillogs samengebracht worden en er lopen meerdere verzoeken",
        )

        # Today, after the dismissal: Karim announces a dispute and asks that his data be erased.
        book.clock = real
        retention.add_hold(sign_in("sofie"), dismissal_case, HOLD_REASON)
        karim = access.file(
            an,
            Kind.ERASURE,
            text="Ik vraag dat al mijn gegevens gewist worden.",
            for_email="karim.bakkali@dewerf.be",
            identity_check="identiteitskaart getoond bij de overhandiging van de ontslagbrief",
        )
        try:
            access.decide(an, karim.id, Status.GRANTED)
        except Refused as refusal:
            if refusal.rule != "access.erasure_hold":
                raise
            access.decide(an, karim.id, Status.REFUSED, t_in("nl", refusal.key, **refusal.params))
        else:  # the demo's story needs the hold to refuse it: a change of the core shows here first
            raise RuntimeError("the demo's erasure under hold was not refused")
        return retention.purge(ilse)
    finally:
        book.clock = real
