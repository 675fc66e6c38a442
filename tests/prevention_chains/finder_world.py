"""Helpers of the finder and HSDS tests: the vendored HSDS 3.0 schema as a validator."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
# The schema files refer to each other by file name ("phone.json"); under one base address
# those references resolve to the neighbouring files. A file that is not vendored cannot be
# resolved, so a test fails if the export ever writes an object nobody checked.
BASE = "https://hsds.invalid/schema/"


def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = {**json.loads(path.read_text(encoding="utf-8")), "$id": BASE + path.name}
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    root = _registry().contents(f"{BASE}{name}.json")
    return Draft202012Validator(
        root, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(name: str, instance: dict) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def tabular_fields(name: str) -> list[str]:
    """The columns of an HSDS table: the schema's scalar properties in their order."""
    return [
        field
        for field, spec in schema(name)["properties"].items()
        if "$ref" not in spec and spec.get("type") != "array"
    ]
