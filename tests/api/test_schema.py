"""The OpenAPI document validates, and the documentation page works offline."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from tests.api.routes import operations


def test_the_schema_served_validates_as_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert len(operations()) >= 20


def test_every_post_documents_its_idempotency_key(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    posts = [item["post"] for item in schema["paths"].values() if "post" in item]
    assert posts
    for post in posts:
        headers = [p for p in post.get("parameters", []) if p["in"] == "header"]
        assert any(h["name"] == "Idempotency-Key" and h["required"] for h in headers)


def test_the_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"https?://", html), "the page reaches outside"
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not served by the portal"
