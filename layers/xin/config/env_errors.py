"""Name the environment variable behind pydantic-settings' "error parsing value" error.

Sections, lists and mappings are written as JSON in ``XIN_*`` variables. When one is not
valid JSON, pydantic-settings raises ``SettingsError`` naming only the top-level field
("api"); this finds the variable(s) to blame, by walking the settings model along each
variable's ``__`` path, without echoing their values (a value may be a secret).
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from xin.errors import ConfigurationError

_CONTAINERS = (list, dict, set, frozenset, tuple)


def describe_json_error(
    model: type[BaseModel],
    environ: Mapping[str, str],
    *,
    prefix: str,
    delimiter: str,
    original: Exception,
) -> ConfigurationError:
    culprits = [
        name
        for name, value in sorted(environ.items())
        if name.upper().startswith(prefix.upper())
        and _wants_json(model, name[len(prefix) :].lower().split(delimiter))
        and not _is_json(value)
    ]
    if not culprits:
        return ConfigurationError(f"invalid configuration: {original}")
    return ConfigurationError(
        "invalid configuration: "
        + "; ".join(
            f"environment variable {name} must hold JSON (sections, lists and mappings are "
            'written as JSON, e.g. \'["https://app.example"]\' or \'{"key": "value"}\')'
            for name in culprits
        )
    )


def _wants_json(model: type[BaseModel], path: list[str]) -> bool:
    """Whether the field at ``path`` is a section, list or mapping (so its value is JSON)."""
    annotation: Any = model
    for part in path:
        section = _model_in(annotation)
        if section is None:
            return False
        field = next((f for n, f in section.model_fields.items() if n.lower() == part), None)
        if field is None:
            return False
        annotation = field.annotation
    return _model_in(annotation) is not None or _container_in(annotation)


def _options(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is Annotated:
        return _options(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(o for arg in get_args(annotation) for o in _options(arg))
    return (annotation,)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def _container_in(annotation: Any) -> bool:
    return any((get_origin(option) or option) in _CONTAINERS for option in _options(annotation))


def _is_json(value: str) -> bool:
    try:
        json.loads(value)
    except ValueError:
        return False
    return True
