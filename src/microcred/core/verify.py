"""Verify a credential or presentation: ``verify(...) -> Report`` (see :mod:`.verification`)."""

from __future__ import annotations

from microcred.core.verification.completeness import Completeness
from microcred.core.verification.engine import verify
from microcred.core.verification.report import Check, Report

__all__ = ["Check", "Completeness", "Report", "verify"]
