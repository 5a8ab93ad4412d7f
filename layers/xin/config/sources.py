"""The values ``Settings`` is validated from: explicit arguments, ``XIN_*`` variables, overlays.

This is what pydantic-settings 2.16 (``BaseSettings`` with ``env_prefix="XIN_"``,
``env_nested_delimiter="__"``, case-insensitive names, no ``.env`` file, no secrets directory)
gathered for ``Settings``, without importing it (~0.15 s of cold start: asyncio, argparse,
dotenv, its cloud sources). The same steps, in the same order:

1. explicit arguments, matched to fields case-insensitively (an alias becomes its first name);
2. ``XIN_<FIELD>`` variables (``APP_ENV``/``XIN_APP_ENV``, ``CONFIG_DIR``/``XIN_CONFIG_DIR`` for
   the aliased fields). A section, list or dict is JSON; ``XIN_<FIELD>__<KEY>__...`` variables
   fill it key by key, JSON-decoding a value whose target is a section, list or dict (a bad JSON
   value there raises ``SettingsError``, except for optional ones, which stay text); keys are
   matched to the section's field names case-insensitively;
3. the YAML overlays (``base.yaml``, then ``<APP_ENV>.yaml``);

merged with the higher source winning key by key (dicts merge, anything else replaces).
``tests/unit/config/test_settings_sources.py`` holds this equal to pydantic-settings itself.
"""

from __future__ import annotations

import json
import types
import typing
from collections import deque
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import is_dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import AliasChoices, BaseModel
from pydantic.fields import FieldInfo

from xin.config.environment import (
    ENV_NESTED_DELIMITER,
    ENV_PREFIX,
    config_dir_of,
    lowercase_names,
    merged_overlays,
    overlay_files,
    pick_app_env,
)

_PREFIX = ENV_PREFIX.lower()
_COMPLEX_BASES = (BaseModel, Mapping, Sequence, AbstractSet, tuple, set, frozenset, deque)
_Entry = tuple[str, str, bool]  # (key for the model, variable name, value is complex)


class SettingsError(ValueError):
    """A variable that should hold JSON does not (pydantic-settings' error, same text)."""


def settings_values(
    model: type[BaseModel], init_kwargs: dict[str, Any], environ: Mapping[str, str]
) -> dict[str, Any]:
    """The merged input for ``model``: explicit arguments over environment over overlays."""
    explicit = _explicit_values(model, init_kwargs)
    env = lowercase_names(environ)
    files = overlay_files(config_dir_of(explicit, environ), pick_app_env(explicit, environ))
    state = deep_update(explicit, {})
    state = deep_update(_environment_values(model, env), state)
    state = deep_update(merged_overlays(files), state)
    _restore_init_kwarg_names(model, init_kwargs, state)
    return state


def deep_update(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``overlay``; where both hold a dict, the dicts merge (recursively)."""
    updated = base.copy()
    for key, value in overlay.items():
        current = updated.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            updated[key] = deep_update(current, value)
        else:
            updated[key] = value
    return updated


# -- explicit arguments ----------------------------------------------------------------------


def _alias_names(name: str, field: FieldInfo) -> tuple[str, ...]:
    alias = field.validation_alias if field.validation_alias is not None else field.alias
    if isinstance(alias, str):
        return (alias,)
    if isinstance(alias, AliasChoices):
        return tuple(choice for choice in alias.choices if isinstance(choice, str))
    return (name,)


def _explicit_values(model: type[BaseModel], init_kwargs: dict[str, Any]) -> dict[str, Any]:
    unused = set(init_kwargs)
    by_lower: dict[str, list[str]] = {}
    for key in init_kwargs:
        by_lower.setdefault(key.lower(), []).append(key)
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        aliases = _alias_names(name, field)
        matched = [
            key
            for alias in aliases
            for key in by_lower.get(alias.lower(), [])
            if key in unused  # a key an earlier field took is not matched again
        ]
        if matched:
            unused.difference_update(matched)
            values[aliases[0]] = init_kwargs[matched[0]]
    values.update({key: value for key, value in init_kwargs.items() if key in unused})
    return values


def _restore_init_kwarg_names(
    model: type[BaseModel], init_kwargs: dict[str, Any], state: dict[str, Any]
) -> None:
    """An argument given under one of a field's exact names keeps that name in the input."""
    if not (init_kwargs and state):
        return
    state_names, init_names = set(state), set(init_kwargs)
    for name, field in model.model_fields.items():
        aliases = _alias_names(name, field)
        given, present = init_names & set(aliases), state_names & set(aliases)
        if given and present:
            target = next(iter(given))
            source = next(alias for alias in aliases if alias in present)
            value = state.pop(source)
            for key in present - {source}:
                state.pop(key, None)
            state[target] = value


# -- environment variables -------------------------------------------------------------------


def _environment_values(model: type[BaseModel], env: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        entries = _entries(name, field)
        raw: str | None = None
        for key, variable, value_is_complex in entries:  # noqa: B007 - read after the loop
            raw = env.get(variable)
            if raw is not None:
                break
        if not (value_is_complex or entries[0][2]):
            key = entries[0][0]
        try:
            value = _prepared(field, entries, raw, env, value_is_complex=value_is_complex)
        except ValueError as exc:
            raise SettingsError(
                f'error parsing value for field "{name}" from source "EnvSettingsSource"'
            ) from exc
        if value is not None:
            data[key] = (
                _canonical_names(field.annotation, value) if isinstance(value, dict) else value
            )
    return data


def _entries(name: str, field: FieldInfo) -> list[_Entry]:
    aliases = _alias_names(name, field)
    if field.validation_alias is not None:  # aliases take no prefix
        return [(alias, alias.lower(), False) for alias in aliases]
    annotation, metadata = _annotation_and_metadata(field)
    union_complex = _is_union(annotation) and _union_is_complex(annotation, metadata)
    return [(name, (_PREFIX + name).lower(), union_complex)]


def _prepared(
    field: FieldInfo,
    entries: list[_Entry],
    raw: str | None,
    env: Mapping[str, str],
    *,
    value_is_complex: bool,
) -> Any:
    is_complex, allow_failure = _complexity(field)
    if not (is_complex or value_is_complex):
        return raw
    if raw is None:
        return _explode(field, entries, env) or None
    value: Any = raw
    try:
        value = json.loads(raw)
    except ValueError:
        if not allow_failure:
            raise
    if isinstance(value, dict):
        return deep_update(value, _explode(field, entries, env))
    return value


def _explode(field: FieldInfo, entries: list[_Entry], env: Mapping[str, str]) -> dict[str, Any]:
    """``XIN_<FIELD>__A__B=v`` variables as ``{"a": {"b": v}}`` (values JSON-decoded by type)."""
    is_dict = field.annotation is dict or _subclass(get_origin(field.annotation), dict)
    prefixes = [variable + ENV_NESTED_DELIMITER for _, variable, _ in entries]
    result: dict[str, Any] = {}
    for variable, raw in env.items():
        prefix = next((p for p in prefixes if variable.startswith(p)), None)
        if prefix is None:
            continue
        *keys, last = variable[len(prefix) :].split(ENV_NESTED_DELIMITER)
        node: Any = result
        target: Any = field
        for key in keys:
            target = _next_field(target, key)
            if isinstance(node, dict):
                node = node.setdefault(key, {})
        target = _next_field(target, last)
        value: Any = raw
        if (target or is_dict) and raw:
            value = _decoded_leaf(target, raw)
        if isinstance(node, dict):
            node[last] = value
    return result


def _decoded_leaf(target: Any, raw: str) -> Any:
    if isinstance(target, FieldInfo):
        is_complex, allow_failure = _complexity(target)
    elif target:  # a dict's value type (a union of a plain type and a list would differ)
        is_complex, allow_failure = _is_complex(target, []), True
    else:  # a key of a dict field
        is_complex, allow_failure = True, True
    if not is_complex:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        if not allow_failure:
            raise
        return raw


def _next_field(node: Any, key: str) -> Any:
    """The field (or a dict's value type) that ``key`` names inside ``node``, else ``None``."""
    if not node:
        return None
    annotation = node.annotation if isinstance(node, FieldInfo) else node
    if _subclass(get_origin(annotation), dict):
        args = get_args(annotation)
        return args[-1] if args else None
    for member in get_args(annotation):
        found = _next_field(member, key)
        if found:
            return found
    if _is_model(annotation):
        for name, field in annotation.model_fields.items():
            for _, variable, _ in _entries(name, field):
                if name.lower() == key.lower() or variable.lower() == key.lower():
                    return field
    return None


def _canonical_names(annotation: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Keys of a section's mapping renamed to its fields' names, matched case-insensitively."""
    model = _strip_annotated(_unwrap_optional(annotation))
    if not _is_model(model):
        return dict(values)
    renamed: dict[str, Any] = {}
    for name, value in values.items():
        match = _field_named(model, name)
        if match is None:
            renamed[name] = value
            continue
        key, field = match
        inner = _strip_annotated(_unwrap_optional(field.annotation))
        if _is_model(inner) and isinstance(value, dict):
            renamed[key] = _canonical_names(field.annotation, value)
        else:
            renamed[key] = value
    return renamed


def _field_named(model: type[BaseModel], name: str) -> tuple[str, FieldInfo] | None:
    for field_name, field in model.model_fields.items():
        for alias in _alias_names(field_name, field):
            if alias.lower() == name.lower():
                return alias, field
    return None


# -- which values are JSON -------------------------------------------------------------------


def _complexity(field: FieldInfo) -> tuple[bool, bool]:
    """(is complex: decode JSON, a decoding failure is tolerated: the union has a plain member)."""
    annotation, metadata = _annotation_and_metadata(field)
    if _is_complex(annotation, metadata):
        return True, False
    if _is_union(annotation) and _union_is_complex(annotation, metadata):
        return True, True
    return False, False


def _annotation_and_metadata(field: FieldInfo) -> tuple[Any, list[Any]]:
    annotation, metadata = field.annotation, list(field.metadata)
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata = [*metadata, *extra]
    return annotation, metadata


def _is_complex(annotation: Any, metadata: list[Any]) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        return _is_complex(inner, extra)
    return (
        _complex_class(annotation)
        or _complex_class(origin)
        or hasattr(origin, "__pydantic_core_schema__")
        or hasattr(origin, "__get_pydantic_core_schema__")
    )


def _complex_class(annotation: Any) -> bool:
    if _subclass(annotation, (str, bytes)):
        return False
    return _subclass(annotation, _COMPLEX_BASES) or is_dataclass(annotation)


def _union_is_complex(annotation: Any, metadata: list[Any]) -> bool:
    for member in get_args(annotation):
        if _is_complex(member, metadata):
            return True
        inner = _strip_all_annotated(member)
        if _is_union(inner) and _union_is_complex(inner, metadata):
            return True
    return False


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (typing.Union, types.UnionType)


def _unwrap_optional(annotation: Any) -> Any:
    args = get_args(annotation)
    if _is_union(annotation) and len(args) == 2 and type(None) in args:
        return next(arg for arg in args if arg is not type(None))
    return annotation


def _strip_annotated(annotation: Any) -> Any:
    return annotation.__origin__ if get_origin(annotation) is Annotated else annotation


def _strip_all_annotated(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _subclass(cls: Any, bases: type | tuple[type, ...]) -> bool:
    return isinstance(cls, type) and issubclass(cls, bases)


def _is_model(annotation: Any) -> typing.TypeGuard[type[BaseModel]]:
    return _subclass(annotation, BaseModel) and annotation is not BaseModel
