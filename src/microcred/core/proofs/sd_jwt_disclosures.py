"""SD-JWT Disclosures and digests (RFC 9901 sections 4.2, 7.1): conceal claims, process back.

Claims are named by paths: ``("address", "street")``, ``("nationalities", 1)``; array indexes are
positions in the issued array. Only ``sha-256`` is supported. Pure functions, no keys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.core.errors import ProofError
from microcred.core.proofs.jws import (
    MAX_JSON_DEPTH,
    MAX_TOKEN_BYTES,
    b64url_decode,
    b64url_encode,
    dump_json,
    load_json,
)

ClaimPath = tuple[str | int, ...]
SD_ALG = "sha-256"
SALT_BYTES = 16
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH = re.compile(r"^[^.\[\]]+(\[\d+\])*(\.[^.\[\]]+(\[\d+\])*)*$")


def claim_path(text: str) -> ClaimPath:
    """``"a.b[0].c"`` -> ``("a", "b", 0, "c")``; raises ProofError for anything else."""
    if not _PATH.fullmatch(text):
        raise ProofError(f"{text!r} is not a claim path such as 'a.b[0]'")
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(text))


def digest(encoded: str) -> str:
    """Base64url SHA-256 of a Disclosure (or of any base64url text)."""
    return b64url_encode(hashlib.sha256(encoded.encode("utf-8")).digest())


@dataclass(frozen=True)
class Disclosure:
    """One Disclosure: ``name`` is None for an array element."""

    encoded: str
    salt: str
    name: str | None
    value: Any

    @property
    def digest(self) -> str:
        """The digest that the issuer-signed JWT embeds for this Disclosure."""
        return digest(self.encoded)

    @classmethod
    def make(cls, salt: str, name: str | None, value: Any) -> Disclosure:
        """Encode ``[salt, name, value]`` (or ``[salt, value]``)."""
        items = [salt, value] if name is None else [salt, name, value]
        return cls(b64url_encode(dump_json(items)), salt, name, value)

    @classmethod
    def parse(cls, encoded: str) -> Disclosure:
        """Decode and check one Disclosure; raises ProofError."""
        items = load_json(b64url_decode(encoded, "disclosure"), "disclosure")
        if not isinstance(items, list) or len(items) not in (2, 3):
            raise ProofError("a disclosure must be a JSON array of 2 or 3 elements")
        if not isinstance(items[0], str):
            raise ProofError("a disclosure's salt must be a string")
        if len(items) == 2:
            return cls(encoded, items[0], None, items[1])
        if not isinstance(items[1], str) or items[1] in ("_sd", "..."):
            raise ProofError(f"disclosure claim name {items[1]!r} is not allowed")
        return cls(encoded, items[0], items[1], items[2])


@dataclass
class Concealer:
    """Replaces the claims at ``paths`` by digests (``_sd`` / ``{"...": d}``), deepest first."""

    paths: frozenset[ClaimPath]
    random_bytes: Callable[[int], bytes]
    decoys: int
    disclosures: list[Disclosure] = field(default_factory=list)
    matched: set[ClaimPath] = field(default_factory=set)
    salts: set[str] = field(default_factory=set)

    def salt(self) -> str:
        """A fresh salt from ``random_bytes``; a repeated one would make digests collide."""
        salt = b64url_encode(self.random_bytes(SALT_BYTES))
        if len(salt) < 22 or salt in self.salts:
            raise ProofError("random_bytes must return fresh 16-byte values for salts")
        self.salts.add(salt)
        return salt

    def conceal(self, path: ClaimPath, name: str | None, value: Any) -> str:
        disclosure = Disclosure.make(self.salt(), name, value)
        self.disclosures.append(disclosure)
        self.matched.add(path)
        return disclosure.digest

    def fold(self, value: Any, path: ClaimPath) -> Any:
        """The value at ``path`` with its disclosable parts concealed."""
        if len(path) > MAX_JSON_DEPTH:
            raise ProofError(f"claims are nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, Mapping):
            return self._fold_object(value, path)
        if isinstance(value, list):
            out = [self.fold(item, (*path, i)) for i, item in enumerate(value)]
            return [
                {"...": self.conceal((*path, i), None, item)} if (*path, i) in self.paths else item
                for i, item in enumerate(out)
            ]
        return value

    def _fold_object(self, value: Mapping[str, Any], path: ClaimPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        digests: list[str] = []
        for name, item in value.items():
            if name in ("_sd", "..."):
                raise ProofError(f"claim name {name!r} is reserved by SD-JWT")
            folded = self.fold(item, (*path, name))
            if (*path, name) in self.paths:
                digests.append(self.conceal((*path, name), name, folded))
            else:
                out[name] = folded
        if digests:
            digests += [digest(self.salt()) for _ in range(self.decoys)]
            out["_sd"] = sorted(digests)
        return out


# --- processing (RFC 9901 section 7.1) --------------------------------------------------------


@dataclass
class _Unfolder:
    """Puts disclosed values back; records each digest once and the path it reveals."""

    by_digest: dict[str, Disclosure]
    seen: set[str] = field(default_factory=set)
    revealed: dict[str, ClaimPath] = field(default_factory=dict)

    def _take(self, value: object) -> Disclosure | None:
        if not isinstance(value, str):
            raise ProofError("an embedded digest must be a string")
        if value in self.seen:
            raise ProofError(f"digest {value} appears more than once")
        self.seen.add(value)
        return self.by_digest.get(value)

    def unfold(self, value: Any, path: ClaimPath) -> Any:
        if len(path) > MAX_JSON_DEPTH:
            raise ProofError(f"disclosed claims are nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            return self._unfold_object(value, path)
        if isinstance(value, list):
            return self._unfold_array(value, path)
        return value

    def _unfold_object(self, value: dict[str, Any], path: ClaimPath) -> dict[str, Any]:
        out = {k: self.unfold(v, (*path, k)) for k, v in value.items() if k != "_sd"}
        if not path:
            out.pop("_sd_alg", None)
        digests = value.get("_sd", [])
        if not isinstance(digests, list):
            raise ProofError("'_sd' must be an array of digests")
        for item in digests:
            disclosure = self._take(item)
            if disclosure is None:
                continue
            if disclosure.name is None:
                raise ProofError("an array-element disclosure is referenced from an '_sd' array")
            if disclosure.name in out:
                raise ProofError(f"disclosed claim {disclosure.name!r} already exists")
            self.revealed[disclosure.digest] = (*path, disclosure.name)
            out[disclosure.name] = self.unfold(disclosure.value, (*path, disclosure.name))
        return out

    def _unfold_array(self, value: list[Any], path: ClaimPath) -> list[Any]:
        out: list[Any] = []
        for i, item in enumerate(value):
            if not (isinstance(item, dict) and list(item) == ["..."]):
                out.append(self.unfold(item, (*path, i)))
                continue
            disclosure = self._take(item["..."])
            if disclosure is None:
                continue
            if disclosure.name is not None:
                raise ProofError("an object-property disclosure is referenced from an array")
            self.revealed[disclosure.digest] = (*path, i)
            out.append(self.unfold(disclosure.value, (*path, i)))
        return out


@dataclass(frozen=True)
class SdJwtParts:
    """A compact SD-JWT or SD-JWT+KB split at its '~' separators."""

    jwt: str
    disclosures: tuple[Disclosure, ...]
    kb_jwt: str
    presented: str  # everything up to and including the last '~' before the KB-JWT


def split_sd_jwt(token: str) -> SdJwtParts:
    """Split and decode the Disclosures; refuses oversized tokens and repeated Disclosures."""
    if len(token.encode("utf-8")) > MAX_TOKEN_BYTES:
        raise ProofError(f"SD-JWT is larger than {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split("~")
    if len(parts) < 2:
        raise ProofError("not an SD-JWT (no '~' separator)")
    encoded = parts[1:-1]
    if len(set(encoded)) != len(encoded):
        raise ProofError("the same disclosure is presented more than once")
    disclosures = tuple(Disclosure.parse(d) for d in encoded)
    presented = "~".join(parts[:-1]) + "~"
    return SdJwtParts(parts[0], disclosures, parts[-1], presented)


def process_disclosures(
    payload: dict[str, Any], disclosures: Iterable[Disclosure]
) -> tuple[dict[str, Any], dict[str, ClaimPath]]:
    """Processed payload and the path each disclosure reveals (by digest)."""
    alg = payload.get("_sd_alg", SD_ALG)
    if alg != SD_ALG:
        raise ProofError(f"unsupported _sd_alg {alg!r} (only {SD_ALG})")
    unfolder = _Unfolder({d.digest: d for d in disclosures})
    claims = unfolder.unfold(payload, ())
    unused = set(unfolder.by_digest) - set(unfolder.revealed)
    if unused:
        raise ProofError(f"{len(unused)} disclosure(s) not referenced by the issuer-signed JWT")
    return claims, unfolder.revealed
