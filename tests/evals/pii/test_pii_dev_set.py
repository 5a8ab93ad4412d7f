"""PII evaluation: the generated dev set (structured types, names, addresses, negatives)
and a hand-written held-out set (other phrasings, names outside the gazetteer, UK,
Spanish, German and Arabic addresses) that was not used for tuning."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from xin.redaction.evaluation import PiiReport, evaluate_pii
from xin.redaction.spans import STRUCTURED_TYPES

HERE = Path(__file__).parent


def _load(name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line
    ]


@pytest.fixture(scope="module")
def dev() -> PiiReport:
    return evaluate_pii(_load("dev_set.jsonl"))


@pytest.fixture(scope="module")
def heldout() -> PiiReport:
    return evaluate_pii(_load("heldout.jsonl"))


def _per_type(report: PiiReport, matching: str) -> dict[str, dict[str, Any]]:
    per_type: dict[str, dict[str, Any]] = report.as_dict()[matching]["per_type"]
    return per_type


def test_dev_structured_types_recall_exact(dev: PiiReport) -> None:
    per_type = _per_type(dev, "exact")
    for pii_type in STRUCTURED_TYPES & set(per_type):
        assert per_type[pii_type]["recall"] >= 0.98, (pii_type, per_type[pii_type])


def test_dev_names_and_addresses_recall_overlap(dev: PiiReport) -> None:
    per_type = _per_type(dev, "overlap")
    for pii_type in ("PERSON", "ADDRESS"):
        assert per_type[pii_type]["recall"] >= 0.95, (pii_type, per_type[pii_type])


def test_dev_precision_every_type(dev: PiiReport) -> None:
    for pii_type, counts in _per_type(dev, "overlap").items():
        assert counts["precision"] is None or counts["precision"] >= 0.97, (pii_type, counts)


def test_dev_negative_rows_produce_no_spans(dev: PiiReport) -> None:
    negatives = {r["id"] for r in _load("dev_set.jsonl") if r["category"] == "negative"}
    assert negatives
    assert not [e for e in dev.errors if e["id"] in negatives]


def test_heldout_rates(heldout: PiiReport) -> None:
    per_type = _per_type(heldout, "overlap")
    for pii_type in STRUCTURED_TYPES & set(per_type):
        assert per_type[pii_type]["recall"] >= 0.95, (pii_type, per_type[pii_type])
    assert per_type["PERSON"]["recall"] >= 0.80, per_type["PERSON"]
    assert per_type["ADDRESS"]["recall"] >= 0.85, per_type["ADDRESS"]
    assert heldout.as_dict()["overlap"]["micro"]["precision"] >= 0.95


def test_generator_is_deterministic_and_matches_the_committed_set() -> None:
    faker = pytest.importorskip("faker")
    spec = importlib.util.spec_from_file_location("pii_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = [json.dumps(r, ensure_ascii=False) for r in module.generate()]
    assert first == [json.dumps(r, ensure_ascii=False) for r in module.generate()]
    if faker.VERSION != module.FAKER_VERSION:
        pytest.skip(f"committed set was generated with faker {module.FAKER_VERSION}")
    committed = (HERE / "dev_set.jsonl").read_text(encoding="utf-8").splitlines()
    assert first == committed
