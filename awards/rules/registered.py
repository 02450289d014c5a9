"""Did the subject register the title it is proposed for (đăng ký thi đua, domain §9)?

The portal answers only where it can know: the unit (for a person, their unit or the units
above it up to its administrative home, which often registers for its offices) sent a
registration on the portal under a campaign that asks for titles — the dossier's campaign, or
any campaign whose period covers the achievement year. Then the answer is whether that
registration lists the title for this person (or for the collective itself). Where no such
registration exists (paper registrations, history imported from before the portal, titles the
registration form has no code for, households) the answer is None and the gate is not applied,
so such dossiers are never blocked for want of data the portal never had.
"""

from __future__ import annotations

import datetime

from awards.models import EmulationTitle, Nomination, RecipientKind
from pledges.models import RegisteredTitle, Registration, Title

# The registration form's title codes (pledges) and the award catalogue's codes for them.
CATALOGUE_CODES: dict[str, str] = {
    Title.LDTT: "lao-dong-tien-tien",
    Title.CSTDCS: "cstd-co-so",
    Title.CSTD_TINH: "cstd-tinh",
    Title.TTLDTT: "tap-the-lao-dong-tien-tien",
    Title.TTLDXS: "tap-the-lao-dong-xuat-sac",
    Title.CO_TINH: "co-thi-dua-tinh",
}
REGISTRATION_CODES = {code: title for title, code in CATALOGUE_CODES.items()}


def _registering_paths(nomination: Nomination) -> list[str]:
    if nomination.recipient_kind == RecipientKind.COLLECTIVE:
        return [nomination.unit.path]
    unit = nomination.person.unit
    home = unit.administrative_home()
    return [path for path in [*unit.ancestor_paths(), unit.path] if path.startswith(home.path)]


def registered_for(nomination: Nomination) -> bool | None:
    """True or False where the portal's registrations decide it; None where they cannot."""
    item = nomination.item
    if not isinstance(item, EmulationTitle) or item.code not in REGISTRATION_CODES:
        return None
    if nomination.recipient_kind == RecipientKind.HOUSEHOLD:
        return None
    registrations = Registration.objects.registered().filter(
        unit__path__in=_registering_paths(nomination), campaign__asks_for_titles=True
    )
    if nomination.campaign_id:
        registrations = registrations.filter(campaign_id=nomination.campaign_id)
    else:
        year = nomination.year
        registrations = registrations.filter(
            campaign__starts_on__lte=datetime.date(year, 12, 31),
            campaign__ends_on__gte=datetime.date(year, 1, 1),
        )
    ids = list(registrations.values_list("pk", flat=True))
    if not ids:
        return None
    titles = RegisteredTitle.objects.filter(
        registration__in=ids, title=REGISTRATION_CODES[item.code]
    )
    if nomination.recipient_kind == RecipientKind.INDIVIDUAL:
        return titles.filter(person=nomination.person).exists()
    return titles.filter(person__isnull=True, registration__unit=nomination.unit).exists()
