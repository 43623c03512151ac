"""JSON Canonicalization Scheme (RFC 8785): sorted keys, ES6 numbers, minimal string escapes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from microcred.core.errors import InputTooLarge, NotACredential

MAX_DEPTH = 64

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n"}
_SHORT_ESCAPES.update({"\r": "\\r", "\t": "\\t"})


def canonicalize(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value."""
    parts: list[str] = []
    _write(value, parts, 0)
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NotACredential("JSON string contains an unpaired surrogate") from exc


def _write(value: Any, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InputTooLarge(f"JSON is nested deeper than {MAX_DEPTH} levels")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(serialize_string(value))
    elif isinstance(value, int | float):
        out.append(serialize_number(value))
    elif isinstance(value, Mapping):
        _write_object(value, out, depth)
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out, depth + 1)
        out.append("]")
    else:
        raise NotACredential(f"{type(value).__name__} is not a JSON value")


def _write_object(value: Mapping[Any, Any], out: list[str], depth: int) -> None:
    for key in value:
        if not isinstance(key, str):
            raise NotACredential(f"JSON object keys must be strings, got {type(key).__name__}")
    out.append("{")
    for index, key in enumerate(sorted(value, key=_utf16_key)):
        if index:
            out.append(",")
        out.append(serialize_string(key))
        out.append(":")
        _write(value[key], out, depth + 1)
    out.append("}")


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def serialize_string(value: str) -> str:
    """A JSON string with only the escapes RFC 8785 requires."""
    chars = ['"']
    for char in value:
        escaped = _SHORT_ESCAPES.get(char)
        if escaped is not None:
            chars.append(escaped)
        elif char < " ":
            chars.append(f"\\u{ord(char):04x}")
        else:
            chars.append(char)
    chars.append('"')
    return "".join(chars)


def serialize_number(value: int | float) -> str:
    """ECMAScript ``Number.prototype.toString`` of an IEEE-754 double (RFC 8785 section 3.2.2.3)."""
    if isinstance(value, int) and not isinstance(value, bool):
        # JSON numbers are IEEE-754 doubles (I-JSON): big integers round as JavaScript's would
        try:
            value = float(value)
        except OverflowError as exc:
            raise NotACredential("integer is too large for a JSON number") from exc
    if not math.isfinite(value):
        raise NotACredential("NaN and Infinity are not JSON numbers")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digit string that round-trips, as ES6 requires.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    if not isinstance(exponent, int):  # pragma: no cover - finite values only
        raise NotACredential("not a finite number")
    trailing = len("".join(map(str, digit_tuple))) - len(digits)
    k = len(digits)
    n = exponent + trailing + k  # value = 0.digits * 10**n
    return sign + _es6_layout(digits, k, n)


def _es6_layout(digits: str, k: int, n: int) -> str:
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exp = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp)}"
