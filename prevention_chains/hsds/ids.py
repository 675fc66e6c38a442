"""Stable HSDS identifiers (UUIDs) that carry the portal's own keys.

HSDS wants a UUID for every object. Ours are RFC 9562 version-8 ("custom") UUIDs with a fixed
layout, so the same row always gets the same id – in the API and in the data package – and an
id can be read back without storing anything (no table, no state per process):

    4b454b5a-KKKK-8DDD-8DDD-NNNNNNNNNNNN

- `4b454b5a`: the portal ("KEKZ" in ASCII), the same in every id;
- `KKKK`: the kind of row (`Kind` below; each kind has its own number, fixed for good);
- `8`: the version digit (8), and `8`: the variant digit (binary 10 followed by 00);
- `DDD DDD`: a detail of 24 bits where one key is not enough (the term of an attribute, the
  language code of a language as ASCII), otherwise 0;
- `NNNNNNNNNNNN`: the row's primary key (48 bits).

The service of offering 42 is `4b454b5a-0001-8000-8000-00000000002a`. The numbers of the kinds
and the layout must never change: they are published ids. (Until 2026-11 the ids were uuid5
hashes that could not be read back; they changed once, before the first release.)
"""

import uuid
from dataclasses import dataclass
from enum import IntEnum

PORTAL = 0x4B454B5A  # "KEKZ"
VERSION = 8
VARIANT = 0b1000  # RFC 9562 variant (10) and two zero bits: the digit 8
DETAIL_BITS = 24
KEY_BITS = 48


class Kind(IntEnum):
    SERVICE = 0x0001  # key: offering
    ORGANIZATION_ACTOR = 0x0002  # key: actor (the offering's provider)
    ORGANIZATION_MUNICIPALITY = 0x0003  # key: municipality (offerings without a provider)
    LOCATION = 0x0004  # key: offering location
    ADDRESS = 0x0005  # key: offering location
    SERVICE_AT_LOCATION = 0x0006  # key: offering location
    PHONE = 0x0007  # key: offering
    CONTACT = 0x0008  # key: offering
    SCHEDULE = 0x0009  # key: offering
    COST_OPTION = 0x000A  # key: offering
    LANGUAGE = 0x000B  # key: offering, detail: the ISO 639 code in ASCII
    TAXONOMY = 0x0010  # key: the taxonomy's number (1 life phases, 2 fields, 3 groups)
    TERM_LIFE_PHASE = 0x0011  # key: life phase
    TERM_FIELD_OF_ACTION = 0x0012  # key: field of action
    TERM_TARGET_GROUP = 0x0013  # key: target group
    ATTRIBUTE_LIFE_PHASE = 0x0021  # key: offering, detail: life phase
    ATTRIBUTE_FIELD_OF_ACTION = 0x0022  # key: offering, detail: field of action
    ATTRIBUTE_TARGET_GROUP = 0x0023  # key: offering, detail: target group


@dataclass(frozen=True)
class PortalId:
    kind: Kind
    key: int
    detail: int = 0


def hsds_id(kind: Kind, key: int, detail: int = 0) -> str:
    if not 0 <= key < 1 << KEY_BITS or not 0 <= detail < 1 << DETAIL_BITS:
        raise ValueError(f"HSDS id out of range: {kind.name} {key} {detail}")
    detail_high, detail_low = divmod(detail, 1 << 12)
    value = (
        PORTAL << 96
        | kind << 80
        | VERSION << 76
        | detail_high << 64
        | VARIANT << 60
        | detail_low << 48
        | key
    )
    return str(uuid.UUID(int=value))


def parse(value) -> PortalId | None:
    """The kind and keys of one of our ids; None for anything else (not a UUID, another
    publisher's UUID, an unknown kind)."""
    try:
        number = uuid.UUID(str(value)).int
    except ValueError:
        return None
    portal, kind = number >> 96, (number >> 80) & 0xFFFF
    version, variant = (number >> 76) & 0xF, (number >> 60) & 0xF
    if (portal, version, variant) != (PORTAL, VERSION, VARIANT):
        return None
    try:
        kind = Kind(kind)
    except ValueError:
        return None
    detail = ((number >> 64) & 0xFFF) << 12 | (number >> 48) & 0xFFF
    return PortalId(kind, number & ((1 << KEY_BITS) - 1), detail)


def service_id(offering_id: int) -> str:
    return hsds_id(Kind.SERVICE, offering_id)


def offering_pk_for_service_id(value) -> int | None:
    parsed = parse(value)
    return parsed.key if parsed is not None and parsed.kind is Kind.SERVICE else None


def organization_id(*, provider_id: int | None, municipality_id: int) -> str:
    """The provider, or the municipality for an offering without a provider."""
    if provider_id is not None:
        return hsds_id(Kind.ORGANIZATION_ACTOR, provider_id)
    return hsds_id(Kind.ORGANIZATION_MUNICIPALITY, municipality_id)


def language_id(offering_id: int, code: str) -> str:
    """ISO 639-1 codes have two letters: their ASCII bytes fit the detail ("de" → 006465)."""
    return hsds_id(Kind.LANGUAGE, offering_id, int.from_bytes(code.encode("ascii"), "big"))
