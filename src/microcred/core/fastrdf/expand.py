"""JSON-LD expansion for the constructs credentials use, equal to pyld's ``expand`` output.

This walker follows pyld's ``_expand`` / ``_expand_object`` step by step for node objects, value
objects, lists, ``@set`` / ``@list`` / ``@language`` containers and property- and type-scoped
contexts, with every context lookup memoised (see :mod:`.contexts`). Anything else (``@graph``,
``@reverse``, ``@nest``, ``@included``, index maps, ``@json``, nested ``@context``, invalid
JSON-LD, and whatever safe mode refuses) raises :class:`Unsupported` so that pyld handles the
document and gives its own answer or error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.fastrdf.contexts import Ctx, Plan, Unsupported, is_absolute, root_context

_VALUE_KEYS = frozenset({"@value", "@type", "@language", "@direction"})


def expand_document(document: Mapping[str, Any]) -> list[Any]:
    """The expanded form of ``document`` (a list of node objects), as pyld would give it."""
    if "@context" not in document:
        raise Unsupported("a document without @context")
    ctx = root_context(document["@context"])
    expanded = _object(ctx, None, None, dict(document), False, top=True)
    if expanded is None:
        return []
    return expanded if isinstance(expanded, list) else [expanded]


def _element(
    ctx: Ctx, prop: str | None, element: Any, inside_list: bool, scoped: Ctx | None
) -> Any:
    if element is None:
        return None
    if isinstance(element, list):
        return _array(ctx, prop, element, inside_list, scoped)
    if isinstance(element, dict):
        return _object(ctx, prop, scoped, element, inside_list)
    if not inside_list and (prop is None or ctx.vocab(prop) == "@graph"):
        return None
    return _value(ctx, prop, element)


def _array(
    ctx: Ctx, prop: str | None, element: list[Any], inside_list: bool, scoped: Ctx | None
) -> Any:
    inside_list = inside_list or (prop is not None and "@list" in ctx.term(prop).containers)
    result: list[Any] = []
    for item in element:
        expanded = _element(ctx, prop, item, inside_list, scoped)
        if inside_list and isinstance(expanded, list):
            expanded = {"@list": expanded}
        if expanded is not None:
            if isinstance(expanded, list):
                result.extend(expanded)
            else:
                result.append(expanded)
    return result


def _value(ctx: Ctx, prop: str | None, value: Any) -> Any:
    """pyld ``_expand_value`` for a scalar under ``prop``."""
    if prop is None:
        raise Unsupported("a scalar without a property")
    mode = ctx.value_mode(prop)
    kind = mode[0]
    if type(value) is str:
        if kind == "plain":
            if mode[1] is None and mode[2] is None:
                return {"@value": value}
            return _tagged(value, mode[1], mode[2])
        if kind == "@id":
            return {"@id": ctx.node_id(value)}
        if kind == "@vocab":
            iri = ctx.vocab(value)
            if iri is None or not is_absolute(iri):
                raise Unsupported("a relative @vocab reference")
            return {"@id": iri}
    elif not isinstance(value, int | float):
        raise Unsupported("a scalar of an unexpected type")
    if kind == "typed":
        return {"@type": mode[1], "@value": value}
    if kind == "keyword":
        raise Unsupported("a scalar under a keyword")
    if kind == "@json":
        raise Unsupported("a @json literal")
    return {"@value": value}


def _tagged(value: str, language: str | None, direction: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if language is not None:
        result["@language"] = language
    if direction is not None:
        result["@direction"] = direction
    result["@value"] = value
    return result


def _object(
    ctx: Ctx,
    prop: str | None,
    scoped: Ctx | None,
    element: dict[str, Any],
    inside_list: bool,
    top: bool = False,
) -> Any:
    """pyld ``_expand`` for a JSON object under ``prop``."""
    expanded_prop = ctx.vocab(prop) if prop is not None else None
    if not top:
        ctx = _node_context(ctx, prop, scoped, element)
    type_scoped = ctx
    type_key = None
    keys = sorted(element)
    for key in keys:
        if ctx.vocab(key) != "@type":
            continue
        if type_key is not None:
            raise Unsupported("two keys for @type")
        type_key = key
        value = element[key]
        types = value if isinstance(value, list) else [value]
        names = tuple(sorted(t for t in types if isinstance(t, str)))
        ctx = ctx.typed(names)
    result: dict[str, Any] = {}
    _properties(ctx, prop, keys, element, result, type_key, type_scoped)
    return _finish(result, element, expanded_prop, prop, inside_list, ctx)


def _node_context(ctx: Ctx, prop: str | None, scoped: Ctx | None, element: dict[str, Any]) -> Ctx:
    """pyld's revert of type-scoped contexts, then the property-scoped context of ``prop``."""
    property_scoped = ctx.term(prop).scoped if prop is not None else None
    if not scoped and ctx.has_previous:
        scoped = ctx
    must_revert = True
    if scoped is not None and len(element) <= 2 and "@context" not in element:
        for key in sorted(element):
            expanded = scoped.vocab(key)
            if expanded == "@value":
                must_revert = False
                ctx = scoped
                break
            if expanded == "@id" and len(element) == 1:
                must_revert = False
                break
    if must_revert:
        ctx = ctx.reverted()
    if property_scoped is not None:
        ctx = ctx.scoped(property_scoped)
    if "@context" in element:
        raise Unsupported("an embedded @context")
    return ctx


def _finish(
    result: dict[str, Any],
    element: dict[str, Any],
    expanded_prop: str | None,
    prop: str | None,
    inside_list: bool,
    ctx: Ctx,
) -> Any:
    count = len(result)
    if "@value" in result:
        if result["@value"] is None:
            _check_value_keys(result)
            return None
        _check_value_object(result, element, ctx)
        return _drop_top_level(result, count, expanded_prop, prop, inside_list)
    if "@type" in result:
        if not isinstance(result["@type"], list):
            result["@type"] = [result["@type"]]
    elif "@list" in result:
        if count > 1:
            raise Unsupported("a list object with other keys")
    elif count == 1 and "@language" in result:
        return None
    elif "@language" in result or "@direction" in result:
        raise Unsupported("@language or @direction on a node object")
    return _drop_top_level(result, count, expanded_prop, prop, inside_list)


def _check_value_keys(result: dict[str, Any]) -> None:
    if not result.keys() <= _VALUE_KEYS:
        raise Unsupported("a value object with other keys")
    if "@type" in result and ("@language" in result or "@direction" in result):
        raise Unsupported("a typed value with a language or direction")


def _check_value_object(result: dict[str, Any], element: dict[str, Any], ctx: Ctx) -> None:
    """Refuse a value object pyld would reject or we do not handle."""
    _check_value_keys(result)
    if "@language" in result and not isinstance(result["@value"], str):
        raise Unsupported("a language-tagged non-string")
    if "@type" not in result:
        return
    if any(isinstance(v, list) and ctx.vocab(k) == "@type" for k, v in element.items()):
        raise Unsupported("an array @type on a value object")
    datatype = result["@type"]
    if not isinstance(datatype, str) or datatype.startswith("_:"):
        raise Unsupported("an invalid typed value")
    if not is_absolute(datatype):
        raise Unsupported("a relative datatype")


def _drop_top_level(
    result: dict[str, Any],
    count: int,
    expanded_prop: str | None,
    prop: str | None,
    inside_list: bool,
) -> Any:
    if not inside_list and (prop is None or expanded_prop == "@graph"):
        if count == 0 or "@value" in result or "@list" in result:
            return None
        if count == 1 and "@id" in result:
            return None
    return result


def _add(result: dict[str, Any], key: str, value: Any) -> None:
    """pyld ``add_value`` with ``propertyIsArray=False`` (keywords)."""
    if isinstance(value, list):
        for item in value:
            _add(result, key, item)
    elif key in result:
        existing = result[key]
        if not isinstance(existing, list):
            result[key] = existing = [existing]
        existing.append(value)
    else:
        result[key] = value


def _add_array(result: dict[str, Any], key: str, value: Any) -> None:
    """pyld ``add_value`` with ``propertyIsArray=True``."""
    target = result.get(key)
    if target is None:
        target = result[key] = []
    if isinstance(value, list):
        target.extend(value)
    else:
        target.append(value)


def _properties(
    ctx: Ctx,
    prop: str | None,
    keys: list[str],
    element: dict[str, Any],
    result: dict[str, Any],
    type_key: str | None,
    type_scoped: Ctx,
) -> None:
    """pyld ``_expand_object``: each key of ``element`` into ``result``."""
    if type_key is not None:
        value = element[type_key]
        first = value[0] if value and isinstance(value, list) else value
        if isinstance(first, str) and ctx.vocab(first) == "@json":
            raise Unsupported("a @json node type")
    for key in keys:
        if key == "@context":
            continue
        plan = ctx.plan(key)
        if plan.refusal is not None:
            raise Unsupported(plan.refusal)
        if plan.keyword:
            _keyword(ctx, prop, str(plan.expanded), key, element[key], result, type_scoped)
        else:
            _property(plan, key, element[key], result)


def _keyword(
    ctx: Ctx,
    prop: str | None,
    keyword: str,
    key: str,
    value: Any,
    result: dict[str, Any],
    type_scoped: Ctx,
) -> None:
    if keyword in result and keyword != "@type":
        raise Unsupported("colliding keywords")
    if keyword == "@type":
        _add(result, "@type", _type_iris(type_scoped, value))
    elif keyword == "@list":
        expanded = _element(ctx, prop, value, True, None)
        if expanded is not None:
            _add_array(result, "@list", expanded)
    elif keyword != "@language" or value is not None:
        result[keyword] = _scalar_keyword(ctx, keyword, value)


def _scalar_keyword(ctx: Ctx, keyword: str, value: Any) -> Any:
    """The expanded value of ``@id``, ``@value``, ``@language`` or ``@direction``."""
    if keyword == "@id":
        if not isinstance(value, str):
            raise Unsupported("a non-string @id")
        return ctx.node_id(value)
    if keyword == "@value":
        if isinstance(value, dict | list):
            raise Unsupported("an object or array @value")
        return value
    if keyword == "@language":
        if not isinstance(value, str):
            raise Unsupported("a non-string @language")
        return value.lower()
    if keyword == "@direction":
        if value not in ("ltr", "rtl"):
            raise Unsupported("an invalid or null @direction")
        return value
    raise Unsupported(f"the keyword {keyword}")


def _type_iris(type_scoped: Ctx, value: Any) -> list[str]:
    """The absolute IRIs of an ``@type`` value (one type or a list)."""
    types = value if isinstance(value, list) else [value]
    if not all(isinstance(t, str) for t in types):
        raise Unsupported("a non-string @type")
    iris = [type_scoped.vocab(t) for t in types]
    absolute = [iri for iri in iris if iri is not None and is_absolute(iri)]
    if len(absolute) != len(iris):
        raise Unsupported("a relative @type")
    return absolute


def _property(plan: Plan, key: str, value: Any, result: dict[str, Any]) -> None:
    term, term_ctx, expanded = plan.term, plan.term_ctx, plan.expanded
    assert term is not None
    assert term_ctx is not None
    assert expanded is not None
    containers = term.containers
    if type(value) is str:
        mode = term_ctx.value_mode(key)
        if mode[0] == "plain" and mode[1] is None and mode[2] is None:
            expanded_value: Any = {"@value": value}
        else:
            expanded_value = _value(term_ctx, key, value)
    elif "@language" in containers and isinstance(value, dict):
        expanded_value = _language_map(term_ctx, value, term.direction)
    elif term.coercion == "@json":
        raise Unsupported("a @json literal")
    else:
        expanded_value = _element(term_ctx, key, value, False, None)
    if expanded_value is None:
        return
    if "@list" in containers and not (
        isinstance(expanded_value, dict) and "@list" in expanded_value
    ):
        expanded_value = {
            "@list": expanded_value if isinstance(expanded_value, list) else [expanded_value]
        }
    target = result.get(expanded)
    if target is None:
        target = result[expanded] = []
    if isinstance(expanded_value, list):
        target.extend(expanded_value)
    else:
        target.append(expanded_value)


def _language_map(ctx: Ctx, value: dict[str, Any], direction: str | None) -> list[Any]:
    result: list[Any] = []
    for language in sorted(value):
        items = value[language]
        expanded_key = ctx.vocab(language)
        for item in items if isinstance(items, list) else [items]:
            if item is None:
                continue
            if not isinstance(item, str):
                raise Unsupported("a language map value that is not a string")
            expanded: dict[str, Any] = {"@value": item}
            if expanded_key != "@none":
                expanded["@language"] = language.lower()
            if direction:
                expanded["@direction"] = direction
            result.append(expanded)
    return result
