"""Validates request bodies against the official OpenSearch REST API specification.

The specification (multi-file OpenAPI 3.1 YAML, Apache-2.0) is read from the directory named
by ``$XIN_OPENSEARCH_SPEC`` (CI: ``../shared/opensearch-api-spec/spec``). Every YAML file is
registered under its ``file://`` URI, so ``$ref``s across files resolve the way the spec's own
tooling resolves them, and a body is validated (JSON Schema 2020-12) against the
``requestBody`` schema of the operation that serves the method and path.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_VARIABLE = "XIN_OPENSEARCH_SPEC"
SKIP_REASON = (
    f"${SPEC_VARIABLE} is not set: point it at the OpenSearch REST API specification "
    "(the 'spec' directory of opensearch-project/opensearch-api-specification; CI uses "
    "../shared/opensearch-api-spec/spec) to validate request bodies"
)
_METHODS = ("get", "put", "post", "delete", "head")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecViolationError(AssertionError):
    """A request body does not match the specification."""


@dataclass(frozen=True, slots=True)
class _Operation:
    template: str
    pattern: re.Pattern[str]
    literals: int
    body_uri: str | None  # absolute URI of the requestBody object
    file_uri: str


# Read at import (collection) time: the suite's autouse fixture clears XIN_* variables
# before each test, and the spec location is a property of the run, not of a test.
_CONFIGURED = os.environ.get(SPEC_VARIABLE)


def spec_dir() -> Path | None:
    configured = _CONFIGURED
    if not configured:
        return None
    path = Path(configured)
    if not path.is_absolute():  # relative to the repository root, as CI sets it
        path = Path(__file__).resolve().parents[2] / path
    return path


class OpenSearchSpec:
    def __init__(self, root: Path, *, strict: bool = True) -> None:
        if not (root / "namespaces").is_dir():
            raise FileNotFoundError(f"{root} has no namespaces/ directory: not the API spec")
        resources: dict[str, Resource[Any]] = {}
        self._operations: dict[str, list[_Operation]] = {m: [] for m in _METHODS}
        documents = {
            path: yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
            for path in sorted(root.rglob("*.yaml"))
        }
        if strict:
            extended: set[str] = set()
            for contents in documents.values():
                _collect_extended(contents, extended)
            for contents in documents.values():
                _close_schemas(contents, extended)
        for path, contents in documents.items():
            uri = path.resolve().as_uri()
            resources[uri] = DRAFT202012.create_resource(contents)
            if path.parent.name == "namespaces":
                self._index_operations(uri, contents)
        self._registry: Registry[Any] = Registry().with_resources(resources.items())
        self._validators: dict[str, Draft202012Validator] = {}
        self._valid: set[str] = set()  # bodies already found valid (validation is slow)

    def _index_operations(self, file_uri: str, document: dict[str, Any]) -> None:
        for template, item in (document.get("paths") or {}).items():
            regex = (
                "^"
                + re.sub(
                    r"\{[^}]+\}",
                    "[^/]+",
                    re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
                )
                + "$"
            )
            literals = sum(1 for part in template.split("/") if part and not part.startswith("{"))
            for method in _METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                body = operation.get("requestBody")
                body_uri = None
                if isinstance(body, dict) and "$ref" in body:
                    body_uri = _join(file_uri, body["$ref"])
                elif isinstance(body, dict):
                    path = f"/paths/{_escape(template)}/{method}/requestBody"
                    body_uri = f"{file_uri}#{path}"
                self._operations[method].append(
                    _Operation(template, re.compile(regex), literals, body_uri, file_uri)
                )

    def operation_for(self, method: str, path: str) -> _Operation:
        candidates = [
            op
            for op in self._operations[method.lower()]
            if op.pattern.match(path.split("?", maxsplit=1)[0])
        ]
        if not candidates:
            raise SpecViolationError(f"no operation in the spec serves {method} {path}")
        return max(candidates, key=lambda op: op.literals)

    def validate(self, method: str, path: str, body: Any) -> str:
        """Validate ``body`` for ``method path``; return the matched path template."""
        operation = self.operation_for(method, path)
        if operation.body_uri is None:
            if body not in (None, b"", ""):
                raise SpecViolationError(f"{method} {operation.template} takes no request body")
            return operation.template
        memo = f"{operation.body_uri}|{json.dumps(body, sort_keys=True)}"
        if memo in self._valid:
            return operation.template
        validator = self._validator(operation.body_uri, ndjson=isinstance(body, list))
        errors = sorted(validator.iter_errors(body), key=lambda e: len(list(e.absolute_path)))
        if errors:
            best = errors[0]
            where = "/".join(str(p) for p in best.absolute_path) or "<body>"
            raise SpecViolationError(
                f"{method} {operation.template}: body does not match the spec at {where}: "
                f"{best.message[:400]}"
            )
        self._valid.add(memo)
        return operation.template

    def _validator(self, body_uri: str, *, ndjson: bool) -> Draft202012Validator:
        key = f"{body_uri}|{ndjson}"
        if key not in self._validators:
            resolved = self._registry.resolver().lookup(body_uri)
            content = resolved.contents.get("content", {})
            media = "application/x-ndjson" if ndjson else "application/json"
            if media not in content:
                media = next(iter(content))
            pointer = f"/content/{_escape(media)}/schema"
            schema = {"$ref": body_uri + pointer if "#" in body_uri else body_uri + "#" + pointer}
            self._validators[key] = Draft202012Validator(schema, registry=self._registry)
        return self._validators[key]


_OPEN_KEYWORDS = ("additionalProperties", "patternProperties", "unevaluatedProperties")


def _collect_extended(node: Any, found: set[str], *, in_composition: bool = False) -> None:
    """Names of schemas used as a branch of a composition (they must stay open)."""
    if isinstance(node, list):
        for item in node:
            _collect_extended(item, found, in_composition=in_composition)
    elif isinstance(node, dict):
        if in_composition and isinstance(node.get("$ref"), str):
            found.add(node["$ref"].rsplit("/", 1)[-1])
        for key, value in node.items():
            _collect_extended(value, found, in_composition=key in ("allOf", "anyOf", "oneOf"))


def _close_schemas(document: Any, extended: set[str]) -> None:
    if not isinstance(document, dict):
        return
    for name, schema in ((document.get("components") or {}).get("schemas") or {}).items():
        _close_objects(schema, in_composition=name in extended)
    for key, value in document.items():
        if key != "components":
            _close_objects(value)
    for key, value in (document.get("components") or {}).items():
        if key != "schemas":
            _close_objects(value)


def _close_objects(node: Any, *, in_composition: bool = False) -> None:
    """Strict mode: an object schema that lists its ``properties`` accepts no other keys.

    The spec leaves most objects open, so a misspelt key (``"filtr"``) would pass. JSON Schema's
    ``unevaluatedProperties: false`` closes an object while still seeing the keys declared by
    ``allOf``/``anyOf``/``oneOf`` branches, so it is added to the outermost schema of each
    composition and to plain objects, never to a branch (that would reject its siblings' keys).
    """
    if isinstance(node, list):
        for item in node:
            _close_objects(item, in_composition=in_composition)
        return
    if not isinstance(node, dict):
        return
    composed = any(k in node for k in ("allOf", "anyOf", "oneOf"))
    declares = "properties" in node or composed
    is_object = node.get("type", "object") == "object" and "$ref" not in node
    open_ = any(k in node for k in _OPEN_KEYWORDS)
    if declares and is_object and not in_composition and not open_:
        node["unevaluatedProperties"] = False
    for key, value in node.items():
        _close_child(key, value)


def _close_child(key: str, value: Any) -> None:
    if key in ("allOf", "anyOf", "oneOf"):
        for branch in value:
            _close_objects(branch, in_composition=True)
    elif key == "properties" and isinstance(value, dict):
        for child in value.values():
            _close_objects(child)
    elif key not in ("example", "examples"):
        _close_objects(value)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _join(base: str, ref: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, ref)


@lru_cache(maxsize=1)
def load_spec() -> OpenSearchSpec | None:
    root = spec_dir()
    return OpenSearchSpec(root) if root is not None else None
