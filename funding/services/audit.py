"""Attribution of audit events. The database triggers (django-pghistory) record every change of
a funding record whatever the code path; services add who acted and why, so the timeline of an
application says "Bewilligung durch …, Grund: …" and not only what changed."""

from contextlib import contextmanager

import pghistory


@contextmanager
def attributed(*, actor, action: str, reason: str = ""):
    """Attach actor, action and reason to every audit event written inside the block."""
    with pghistory.context(
        user=actor.pk if actor is not None else None, action=action, reason=reason
    ):
        yield
