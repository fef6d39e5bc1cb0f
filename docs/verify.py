#!/usr/bin/env python3
"""Check a municipality's audit chain on a Löftesboken server, trusting nothing of the server.

    python3 verify.py --url https://loftesboken.example.se --municipality 1280 \\
        [--position P --head HASH] [--token TOKEN]

Only Python's standard library: read it before you run it. It downloads every public
entry of the chain (`GET /api/v1/municipalities/{code}/audit`), recomputes the digest
of every value it was shown and the hash of every entry from the digests alone
(API.md, "Audit"), and says whether the chain holds and, given the position and head
hash an annual report prints, whether today's chain still reaches that head. It
reports the first position where anything differs, and why, and exits 1 if anything
does (2 if the server cannot be read).

What each check catches: a value changed behind its digest (the digest no longer
matches), a digest or any part of an entry changed (its hash no longer matches),
entries reordered or left out (positions and `prev_hash` no longer link). A server
that rewrites history and recomputes every later hash shows a chain that holds in
itself, and so does one that shows the public a different history than its auditors:
only a head printed earlier (in a report, a newspaper, anywhere) exposes those, which
is why reports print theirs, and why you should give it as `--position` and `--head`.

This file is also the `loften verify --url` command (entrypoints/verify_remote.py is
the same file, and a test keeps the two identical).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64
HEAD_KEYS = ("position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version")
PAGE = 500


class Unreadable(Exception):
    """The server could not be read, or did not answer as the contract says."""


def canonical(value: Any) -> str:
    """`json(x)` of the contract: compact, keys sorted, UTF-8 not escaped."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def field_digest(salt: str, name: str, value: Any) -> str:
    return sha256_hex(salt + "\n" + name + "\n" + canonical(value))


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """The entry's hash recomputed from its head and its fields' digests alone."""
    head = {key: entry[key] for key in HEAD_KEYS}
    head["digests"] = {name: shown["digest"] for name, shown in entry["fields"].items()}
    return sha256_hex(prev_hash + canonical(head))


def get_json(url: str, token: str | None = None) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise Unreadable(f"{url}: {exc}") from None


def download(url: str, code: str, token: str | None = None) -> list[dict[str, Any]]:
    """Every entry of the chain, oldest first, following the pages' cursors."""
    base = f"{url.rstrip('/')}/api/v1/municipalities/{urllib.parse.quote(code)}/audit"
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": str(PAGE), **({"cursor": cursor} if cursor else {})}
        page = get_json(f"{base}?{urllib.parse.urlencode(query)}", token)
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise Unreadable(f"{base}: not a page of entries")
        entries += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return entries


@dataclass
class Outcome:
    """What the check found: the chain's length and recomputed head, and the first problem."""

    entries: int = 0
    head_hash: str = GENESIS
    hashes: list[str] = field(default_factory=list)
    first_bad_position: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_position is None

    def bad(self, position: int, reason: str) -> None:
        if self.first_bad_position is None:
            self.first_bad_position, self.reason = position, reason


def _malformed(entry: Any) -> bool:
    if not isinstance(entry, dict) or not all(key in entry for key in (*HEAD_KEYS, "fields")):
        return True
    fields = entry["fields"]
    return not isinstance(fields, dict) or not all(
        isinstance(shown, dict) and isinstance(shown.get("digest"), str)
        for shown in fields.values()
    )


def check_chain(entries: list[dict[str, Any]]) -> Outcome:
    """Recompute the chain from its entries; the first position where anything differs."""
    outcome = Outcome()
    prev_hash = GENESIS
    for index, entry in enumerate(entries):
        expected = index + 1
        if _malformed(entry):
            outcome.bad(expected, "the entry lacks part of what the contract says it holds")
            prev_hash = "!" * 64
        else:
            if entry["position"] != expected:
                outcome.bad(expected, f"the entry at this place says position {entry['position']}")
            if entry.get("prev_hash") != prev_hash:
                outcome.bad(expected, "its prev_hash is not the hash of the entry before it")
            for name, shown in entry["fields"].items():
                if (
                    "value" in shown
                    and field_digest(str(shown.get("salt")), name, shown["value"])
                    != shown["digest"]
                ):
                    outcome.bad(expected, f"the value of {name!r} does not match its digest")
            recomputed = entry_hash(prev_hash, entry)
            if recomputed != entry.get("hash"):
                outcome.bad(expected, "its hash is not the hash of its head and digests")
            prev_hash = recomputed
        outcome.hashes.append(prev_hash)
    outcome.entries = len(entries)
    outcome.head_hash = prev_hash
    return outcome


def check_head(outcome: Outcome, position: int, head: str) -> None:
    """Whether the recomputed chain reaches a head printed earlier (a report's)."""
    if position < 1:
        outcome.bad(1, "a report's position counts from 1")
    elif position > outcome.entries:
        outcome.bad(
            outcome.entries + 1,
            f"the chain has {outcome.entries} entries, fewer than the {position} of the head",
        )
    elif outcome.hashes[position - 1] != head.strip().lower():
        outcome.bad(
            position,
            "today's chain does not reach the head printed earlier: its history "
            "up to here is not the one the head was made from",
        )


def verify(
    url: str,
    code: str,
    position: int | None = None,
    head: str | None = None,
    token: str | None = None,
) -> Outcome:
    """Download the chain and check it (and the head, if given)."""
    outcome = check_chain(download(url, code, token))
    if position is not None and head is not None:
        check_head(outcome, position, head)
    return outcome


def describe(code: str, outcome: Outcome) -> str:
    if outcome.ok:
        return (
            f"The audit chain of {code} holds: {outcome.entries} entries, "
            f"head hash {outcome.head_hash}."
        )
    return (
        f"The audit chain of {code} does NOT hold at position {outcome.first_bad_position}: "
        f"{outcome.reason}."
    )


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    found.add_argument("--url", required=True, help="The server, e.g. https://loftesboken.se")
    found.add_argument("--municipality", required=True, metavar="CODE", help="Its kommunkod.")
    found.add_argument("--position", type=int, help="The position a report printed.")
    found.add_argument("--head", metavar="HASH", help="The head hash the report printed.")
    found.add_argument("--token", help="A bearer token, to check the values it may see too.")
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if (args.position is None) != (args.head is None):
        print("Give --position and --head together (both as the report prints them).")
        return 2
    try:
        outcome = verify(args.url, args.municipality, args.position, args.head, args.token)
    except Unreadable as exc:
        print(f"Could not read the chain: {exc}")
        return 2
    print(describe(args.municipality, outcome))
    if outcome.ok and args.position is not None:
        print(f"It reaches the head printed for position {args.position}.")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
