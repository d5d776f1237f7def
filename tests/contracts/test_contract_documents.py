"""The contracts themselves: valid OpenAPI 3.1, with their sources named, and PROVIDERS.md's Default routes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mocks.contract import CONTRACTS_DIR, contract

PROVIDERS_MD = Path(__file__).resolve().parents[2] / "docs" / "PROVIDERS.md"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.mark.parametrize("provider", ["wazzup", "i2crm", "default"])
def test_each_contract_is_a_valid_openapi_31_document_that_names_its_sources(provider: str) -> None:
    document = yaml.safe_load((CONTRACTS_DIR / f"{provider}.yaml").read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    contract(provider).api.check_spec()  # raises on an invalid document
    assert re.search(r"https?://\S+", document["info"]["description"]), "the description names its sources"


def _routes_in_providers_md() -> set[tuple[str, str]]:
    text = PROVIDERS_MD.read_text(encoding="utf-8")
    section = text[text.index("## Default") : text.index("## What every fake")]
    found = re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", section)
    return {(method, path) for method, path in found}


def test_providers_md_default_section_and_default_yaml_name_the_same_routes() -> None:
    document = yaml.safe_load((CONTRACTS_DIR / "default.yaml").read_text(encoding="utf-8"))
    in_contract = {(m.upper(), path) for path, item in document["paths"].items() for m in METHODS if m in item}
    assert _routes_in_providers_md() == in_contract


def test_default_webhooks_are_standard_webhooks_in_both() -> None:
    text = PROVIDERS_MD.read_text(encoding="utf-8")
    document = yaml.safe_load((CONTRACTS_DIR / "default.yaml").read_text(encoding="utf-8"))
    parameters = {p["name"] for p in document["webhooks"]["event"]["post"]["parameters"]}
    assert parameters == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert all(f"`{name}`" in text for name in parameters)
    event_types = str(document["webhooks"]["event"]["post"]["requestBody"])
    assert "message.status" in event_types and "webhook.test" in event_types
