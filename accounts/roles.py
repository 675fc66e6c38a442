"""Role identifiers (DESIGN.md §2). Code compares these constants, never translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATE_REVIEWER = "state_reviewer", _("Prüfung (Landeskoordinierungsstelle)")
    STATE_APPROVER = "state_approver", _("Bewilligung (Bewilligungsbehörde)")
    STATE_ADMIN = "state_admin", _("Programmverwaltung")
    RESEARCHER = "researcher", _("Evaluation")
    COORDINATOR = "coordinator", _("Koordination der Kommune")
    MUNICIPAL_VIEWER = "municipal_viewer", _("Leserecht der Kommune")
    COMPANION = "companion", _("Kommunale Begleitung")


# Roles held towards the whole programme, not towards one municipality.
STATE_OFFICE_ROLES = frozenset({Role.STATE_REVIEWER, Role.STATE_APPROVER, Role.STATE_ADMIN})
PROGRAMME_WIDE_ROLES = STATE_OFFICE_ROLES | {Role.RESEARCHER}
# Roles held towards one municipality (a Membership).
MUNICIPAL_ROLES = frozenset({Role.COORDINATOR, Role.MUNICIPAL_VIEWER, Role.COMPANION})

# Who must use two-factor authentication before doing anything else.
TWO_FACTOR_REQUIRED_ROLES = STATE_OFFICE_ROLES
