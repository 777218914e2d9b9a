"""The API reference page's content, read from the OpenAPI document itself, so the page a person
reads and the document a machine reads cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# At most this many allowed values are listed in a parameter's row; vocabularies can be long.
SHOWN_VALUES = 12


@dataclass(frozen=True)
class Parameter:
    """One parameter or body field of an operation, as the reference shows it."""

    name: str
    location: str  # query | path | body
    required: bool
    values: str  # what it takes, e.g. "integer, 1 to 100, default 20"
    description: str


@dataclass(frozen=True)
class Operation:
    """One method on one path."""

    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    responses: tuple[tuple[str, str], ...]  # (status, description)


def _values(schema: dict[str, Any]) -> str:
    """A schema in a few words: its type, allowed values, bounds and default."""
    if "anyOf" in schema:
        return " or ".join(_values(part) for part in schema["anyOf"])
    kind = schema.get("type", "any")
    words = [" or ".join(kind) if isinstance(kind, list) else kind]
    if "format" in schema:
        words[0] += f" ({schema['format']})"
    if "enum" in schema:
        shown = [str(value) for value in schema["enum"][:SHOWN_VALUES]]
        more = len(schema["enum"]) - len(shown)
        words.append("one of: " + ", ".join(shown) + (f" and {more} more" if more > 0 else ""))
    if "minimum" in schema or "maximum" in schema:
        words.append(f"{schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if "maxLength" in schema:
        words.append(f"at most {schema['maxLength']} characters")
    if "default" in schema:
        words.append(f"default {schema['default']}")
    return ", ".join(words)


def _parameters(operation: dict[str, Any]) -> list[Parameter]:
    found = [
        Parameter(
            p["name"], p["in"], p.get("required", False), _values(p["schema"]),
            p.get("description", ""),
        )
        for p in operation.get("parameters", [])
    ]  # fmt: skip
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        schema = body["schema"]
        required = set(schema.get("required", []))
        found += [
            Parameter(name, "body", name in required, _values(field), field.get("description", ""))
            for name, field in schema.get("properties", {}).items()
        ]
    return found


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of an OpenAPI document, in the document's order."""
    return [
        Operation(
            anchor=operation.get("operationId", f"{method}-{path}"),
            method=method.upper(),
            path=path,
            summary=operation.get("summary", ""),
            description=operation.get("description", ""),
            parameters=tuple(_parameters(operation)),
            responses=tuple(
                (status, answer.get("description", ""))
                for status, answer in operation.get("responses", {}).items()
            ),
        )
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
