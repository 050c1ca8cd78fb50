"""The OpenAPI document renders in Swagger UI and ReDoc: no local `$defs` left inside paths (ReDoc
fails on `#/$defs/…` with «Invalid reference token»), every reference resolves in the document."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from tests.support.web import client_for


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_the_openapi_document_has_no_local_definitions_and_every_reference_resolves(sqlite_demo: Platform) -> None:
    client: TestClient = client_for(sqlite_demo)
    spec = client.get("/openapi.json").json()
    assert '"$defs"' not in json.dumps(spec)
    schemas = spec["components"]["schemas"]
    refs = _refs(spec)
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
