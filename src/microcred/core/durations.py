"""ISO 8601 durations as used for notional workload (``PT60H``), and the mistakes made with them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
# Calendar units in hours (a year of 365.25 days, a month of a twelfth of that).
_HOURS = {
    "Y": Decimal("8766"),
    "M": Decimal("730.5"),
    "W": Decimal("168"),
    "D": Decimal("24"),
    "h": Decimal(1),
    "m": Decimal(1) / 60,
    "s": Decimal(1) / 3600,
}
_NAMES = {"Y": "years", "M": "months", "W": "weeks", "D": "days"}


@dataclass(frozen=True)
class Duration:
    """A parsed duration: its parts and whether it names calendar time rather than hours of work."""

    text: str
    parts: dict[str, Decimal]

    @property
    def hours(self) -> Decimal:
        """Length in hours (calendar units approximated)."""
        return sum((_HOURS[k] * v for k, v in self.parts.items()), Decimal(0))

    @property
    def calendar_parts(self) -> dict[str, Decimal]:
        """The parts in years, months, weeks or days: calendar time, not hours of work."""
        return {k: v for k, v in self.parts.items() if k in _NAMES}


def parse_duration(text: str) -> Duration | None:
    """Parse an ISO 8601 duration, or ``None`` when it is not one."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        return None
    parts = {k: Decimal(v.replace(",", ".")) for k, v in match.groupdict().items() if v is not None}
    return Duration(text, parts)


def hours_duration(hours: Decimal) -> str:
    """The ISO 8601 duration for a number of hours: ``PT60H``."""
    return f"PT{format(hours.normalize(), 'f')}H"


def describe_calendar(duration: Duration) -> str:
    """Human words for a duration's calendar parts: ``60 months``."""
    return ", ".join(
        f"{format(v.normalize(), 'f')} {_NAMES[k]}" for k, v in duration.calendar_parts.items()
    )
