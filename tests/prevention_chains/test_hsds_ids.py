"""The HSDS ids: RFC 9562 version-8 UUIDs that hold the portal's keys and read back without
any stored state (docs/prevention-finder.md, "IDs")."""

import uuid

import pytest

from prevention_chains.hsds import ids
from prevention_chains.hsds.ids import Kind, hsds_id, language_id, parse, service_id


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_is_a_version_8_uuid_that_reads_back(kind):
    value = hsds_id(kind, 123_456_789, 4321)
    parsed_uuid = uuid.UUID(value)
    assert parsed_uuid.version == 8
    assert parsed_uuid.variant == uuid.RFC_4122  # RFC 9562 keeps RFC 4122's variant bits
    assert str(parsed_uuid) == value  # canonical lowercase form
    assert parse(value) == ids.PortalId(kind, 123_456_789, 4321)


def test_the_documented_layout_is_kept():
    """These ids are published: the layout and the kind numbers must never change."""
    assert service_id(42) == "4b454b5a-0001-8000-8000-00000000002a"
    assert language_id(7, "de") == "4b454b5a-000b-8006-8465-000000000007"
    assert hsds_id(Kind.ATTRIBUTE_TARGET_GROUP, 5, 0xABCDEF) == (
        "4b454b5a-0023-8abc-8def-000000000005"
    )
    assert {kind.name: kind.value for kind in Kind} == {
        "SERVICE": 0x01,
        "ORGANIZATION_ACTOR": 0x02,
        "ORGANIZATION_MUNICIPALITY": 0x03,
        "LOCATION": 0x04,
        "ADDRESS": 0x05,
        "SERVICE_AT_LOCATION": 0x06,
        "PHONE": 0x07,
        "CONTACT": 0x08,
        "SCHEDULE": 0x09,
        "COST_OPTION": 0x0A,
        "LANGUAGE": 0x0B,
        "TAXONOMY": 0x10,
        "TERM_LIFE_PHASE": 0x11,
        "TERM_FIELD_OF_ACTION": 0x12,
        "TERM_TARGET_GROUP": 0x13,
        "ATTRIBUTE_LIFE_PHASE": 0x21,
        "ATTRIBUTE_FIELD_OF_ACTION": 0x22,
        "ATTRIBUTE_TARGET_GROUP": 0x23,
    }


def test_the_same_key_of_different_kinds_gives_different_ids():
    assert len({hsds_id(kind, 1) for kind in Kind}) == len(Kind)
    assert language_id(1, "de") != language_id(1, "tr")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "nicht-eine-uuid",
        None,
        "00000000-0000-0000-0000-000000000000",
        "4b454b5a-0001-4000-8000-00000000002a",  # version 4
        "4b454b5a-0001-8000-c000-00000000002a",  # another variant
        "4b454b5a-0001-8000-9000-00000000002a",  # variant 10 with bits we never set
        "4b454b5b-0001-8000-8000-00000000002a",  # another prefix
        "4b454b5a-00ff-8000-8000-00000000002a",  # unknown kind
    ],
)
def test_anything_else_is_not_ours(value):
    assert parse(value) is None
    assert ids.offering_pk_for_service_id(value) is None


def test_only_service_ids_name_an_offering():
    assert ids.offering_pk_for_service_id(service_id(42)) == 42
    assert ids.offering_pk_for_service_id(hsds_id(Kind.PHONE, 42)) is None


@pytest.mark.parametrize(("key", "detail"), [(-1, 0), (1 << 48, 0), (1, 1 << 24), (1, -1)])
def test_keys_out_of_range_are_refused(key, detail):
    with pytest.raises(ValueError, match="out of range"):
        hsds_id(Kind.SERVICE, key, detail)
