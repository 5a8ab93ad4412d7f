"""The environment variables every function gets, checked against the ``xin`` Settings model.

Xin's ``Settings`` forbids unknown keys, so a variable naming a setting this version of ``xin``
does not have (or a value it rejects) would crash every cold start. ``checked_environment``
keeps only variables the installed ``xin`` accepts and reports the rest, which the stack turns
into synth warnings: a deployment never ships a configuration its own code refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import aws_cdk as cdk
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from xin.config.settings import (
    APP_ENV_VARIABLE,
    ENV_NESTED_DELIMITER,
    ENV_PREFIX,
    Settings,
)

POWERTOOLS_SERVICE = "xin"
METRICS_NAMESPACE = "Xin"


def _field(path: list[str]) -> FieldInfo | None:
    model: type[BaseModel] = Settings
    info: FieldInfo | None = None
    for i, part in enumerate(path):
        info = model.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        if i < len(path) - 1:
            if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                return None
            model = annotation
    return info


def rejection(name: str, value: str) -> str | None:
    """Why ``xin`` would refuse ``name=value`` at start-up, or None if it accepts it."""
    if name == APP_ENV_VARIABLE or not name.startswith(ENV_PREFIX):
        return None
    path = name.removeprefix(ENV_PREFIX).lower().split(ENV_NESTED_DELIMITER)
    info = _field(path)
    if info is None:
        return f"this xin has no setting {'.'.join(path)}"
    if cdk.Token.is_unresolved(value):
        return None  # resolved at deploy time (a table name, an endpoint)
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[annotation, *info.metadata]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        adapter.validate_strings(value) if _is_scalar(info) else adapter.validate_json(value)
    except ValidationError as exc:
        return f"{'.'.join(path)}={value!r} is rejected: {exc.errors()[0]['msg']}"
    return None


def _is_scalar(info: FieldInfo) -> bool:
    return "list" not in str(info.annotation) and "dict" not in str(info.annotation)


def checked_environment(desired: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(accepted variables, {dropped variable: reason})."""
    kept: dict[str, str] = {}
    dropped: dict[str, str] = {}
    for name, value in desired.items():
        reason = rejection(name, value)
        if reason is None:
            kept[name] = value
        else:
            dropped[name] = reason
    return kept, dropped
