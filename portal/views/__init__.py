"""The portal's own pages; urls.py names them as `views.<name>`."""

from portal.views.blocs import (
    bloc_create,
    bloc_detail,
    bloc_member_add,
    bloc_member_remove,
    bloc_rotate,
    bloc_term_set,
    bloc_update,
)
from portal.views.people import (
    membership_grant,
    membership_revoke,
    person_create,
    person_detail,
    person_move,
    person_update,
)
from portal.views.units import (
    health,
    home,
    unit_browser,
    unit_children,
    unit_close,
    unit_create,
    unit_detail,
    unit_details,
    unit_history,
    unit_people,
    unit_update,
)

__all__ = [
    "bloc_create",
    "bloc_detail",
    "bloc_member_add",
    "bloc_member_remove",
    "bloc_rotate",
    "bloc_term_set",
    "bloc_update",
    "health",
    "home",
    "membership_grant",
    "membership_revoke",
    "person_create",
    "person_detail",
    "person_move",
    "person_update",
    "unit_browser",
    "unit_children",
    "unit_close",
    "unit_create",
    "unit_detail",
    "unit_details",
    "unit_history",
    "unit_people",
    "unit_update",
]
