"""Stable HSDS identifiers (UUIDs) for the portal's rows.

HSDS wants a UUID for every object. Each one is `uuid5(NAMESPACE, "<kind>:<key>")`, e.g. the
service of offering 42 is uuid5(NAMESPACE, "service:42"): the same row always gets the same id,
in the API and in the data package, without storing anything. NAMESPACE is fixed for good
(changing it would change every published id).

uuid5 cannot be reversed, so `/services/{id}` finds the offering through a table of the ids of
all offering keys up to the highest one, extended when a newer offering appears.
"""

import threading
import uuid

from prevention_chains.models import Offering

NAMESPACE = uuid.UUID("6b1f4c3e-5a2d-4e1b-9c7f-0d3a8e2b4f60")


def hsds_id(kind: str, key) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def service_id(offering_id: int) -> str:
    return hsds_id("service", offering_id)


def organization_id(*, provider_id: int | None, municipality_id: int) -> str:
    """The provider, or the municipality for an offering without a provider."""
    if provider_id is not None:
        return hsds_id("actor", provider_id)
    return hsds_id("municipality", municipality_id)


class _ServiceIndex:
    """service UUID → offering pk, for every pk up to the highest seen so far."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_uuid: dict[uuid.UUID, int] = {}
        self._highest = 0

    def _extend_to(self, highest: int) -> None:
        for pk in range(self._highest + 1, highest + 1):
            self._by_uuid[uuid.uuid5(NAMESPACE, f"service:{pk}")] = pk
        self._highest = max(self._highest, highest)

    def offering_pk(self, value: str) -> int | None:
        try:
            wanted = uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            return None
        with self._lock:
            found = self._by_uuid.get(wanted)
            if found is None:
                # A newer offering, or an id that is not ours: one look at the highest key.
                highest = Offering.objects.order_by("-pk").values_list("pk", flat=True).first()
                if highest and highest > self._highest:
                    self._extend_to(highest)
                    found = self._by_uuid.get(wanted)
            return found


_service_index = _ServiceIndex()


def offering_pk_for_service_id(value: str) -> int | None:
    return _service_index.offering_pk(value)
