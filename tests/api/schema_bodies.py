"""Request bodies drawn from the app's own OpenAPI schema, with values that fit a state.

The fuzz tests must get past the door: a body of random bytes is refused by the first
validator and never reaches a rule of the process. So bodies are built from each
operation's request schema (its types, enums, lengths, ranges and required fields),
and the fields whose worth depends on what exists (ids, dates, municipality codes) are
drawn from `pools` that the test fills from the target state it built. A small share of
bodies is then broken on purpose (`malformed`), so the door itself stays tested.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]
Pools = Mapping[str, st.SearchStrategy[Any]]

#: Letters a person writes (Swedish ones included), spaces and a few marks; no control
#: characters, which the contract refuses: those belong to the malformed share.
WRITTEN = string.ascii_letters + "åäöÅÄÖéü0123456789 .,-–:()"
#: Longest text drawn for a field (a longer limit is tested by the malformed share).
TEXT_CAP = 40
#: Most items drawn for a list (its own minimum if that is larger).
LIST_CAP = 3


def request_bodies(openapi: Schema) -> dict[str, Schema]:
    """Each POST path's JSON request schema, by path template."""
    bodies: dict[str, Schema] = {}
    for path, item in openapi["paths"].items():
        post = item.get("post")
        content = (post or {}).get("requestBody", {}).get("content", {})
        if "application/json" in content:
            bodies[path] = content["application/json"]["schema"]
    return bodies


class BodyStrategies:
    """Hypothesis strategies for bodies that match the schemas of one OpenAPI document."""

    def __init__(self, openapi: Schema) -> None:
        self.components: dict[str, Schema] = openapi.get("components", {}).get("schemas", {})

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def valid(self, schema: Schema, pools: Pools) -> st.SearchStrategy[Any]:
        """Bodies of the schema's shape, with pooled values for the fields named in `pools`."""
        return self._walk(schema, None, pools)

    def _walk(self, schema: Schema, name: str | None, pools: Pools) -> st.SearchStrategy[Any]:
        if name is not None and name in pools:
            return pools[name]
        schema = self.resolve(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self._walk(option, name, pools) for option in schema[key]]
                return st.one_of(options)
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema, pools)
        if kind == "array":
            low = int(schema.get("minItems", 0))
            high = min(int(schema.get("maxItems", LIST_CAP)), max(low, LIST_CAP))
            return st.lists(
                self._walk(schema.get("items", {}), None, pools), min_size=low, max_size=high
            )
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            low = int(schema.get("minimum", 0))
            high = int(schema.get("maximum", low + 1000))
            return st.integers(low, min(high, low + 50)) | st.integers(low, high)
        if kind == "number":
            return st.floats(schema.get("minimum", 0), schema.get("maximum", 1000))
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        raise ValueError(f"no strategy for the schema {schema!r}")

    def _object(self, schema: Schema, pools: Pools) -> st.SearchStrategy[dict[str, Any]]:
        properties: dict[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {
                key: self._walk(sub, key, pools)
                for key, sub in properties.items()
                if key in required
            },
            optional={
                key: self._walk(sub, key, pools)
                for key, sub in properties.items()
                if key not in required
            },
        )

    @staticmethod
    def _string(schema: Schema) -> st.SearchStrategy[str]:
        shape = schema.get("format")
        if shape == "date":
            return dates_around(date(2025, 2, 10)).map(date.isoformat)
        if shape == "uuid":
            return st.uuids().map(str)
        if "pattern" in schema:
            pattern: str = schema["pattern"]
            return st.from_regex(pattern, fullmatch=True)
        low = max(1, int(schema.get("minLength", 1)))
        high = max(low, min(int(schema.get("maxLength", TEXT_CAP)), TEXT_CAP))
        return st.text(WRITTEN, min_size=low, max_size=high).filter(str.strip)


def dates_around(*anchors: date) -> st.SearchStrategy[date]:
    """Dates that make rules bite: an anchor, a day either side of it, or any date nearby."""
    near = st.builds(
        lambda anchor, shift: anchor + timedelta(days=shift),
        st.sampled_from(anchors),
        st.sampled_from([0, 0, 0, -1, 1]),
    )
    anywhere = st.dates(date(1999, 12, 1), date(2030, 12, 31))
    return st.one_of(*[near] * 7, anywhere)


#: Values of the wrong type or out of any range: what a broken client sends.
WRONG_VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [None, True, -1, 1_000_000_001, 2.5, "", " ", "\x00", "\ud800", "x" * 10_001, [], {}, "NaN"]
)


@st.composite
def malformed(draw: st.DrawFn, valid: Any) -> bytes:
    """A valid body broken in one way: a field dropped, retyped or added, or not JSON at all."""
    how = draw(st.sampled_from(["drop", "retype", "extra", "not_json", "not_object"]))
    if how == "not_json":
        return draw(st.sampled_from([b"", b"{", b"\xff\xfe", b"[1,", b"null garbage"]))
    if how == "not_object" or not isinstance(valid, dict) or not valid:
        return json.dumps(draw(st.sampled_from([None, [], 1, "text"]))).encode()
    body = dict(valid)
    key = draw(st.sampled_from(sorted(body)))
    if how == "drop":
        del body[key]
    elif how == "retype":
        body[key] = draw(WRONG_VALUES)
    else:
        body[draw(st.sampled_from(["unknown", "Title", "id", "version"]))] = "x"
    return json.dumps(body).encode("utf-8", "surrogatepass")
