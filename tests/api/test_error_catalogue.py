"""docs/errors.md lists every problem type, with the status and exit code its class carries."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import microcred
from microcred.api.problems import CODE_OF_STATUS, PROBLEM_TYPE
from microcred.core.errors import MicrocredError

DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (\d{3}) \| (\d|) ?\|", re.MULTILINE)


def _every_error_class() -> list[type[MicrocredError]]:
    for module in pkgutil.walk_packages(microcred.__path__, "microcred."):
        if ".migrations" not in module.name:  # Alembic scripts run on import
            importlib.import_module(module.name)
    found: list[type[MicrocredError]] = []
    pending = [MicrocredError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls is not MicrocredError]


def test_every_error_class_has_its_row_with_its_status_and_exit_code() -> None:
    text = DOC.read_text("utf-8")
    rows = {code: (int(status), exit_code) for code, status, exit_code in ROW.findall(text)}
    classes = _every_error_class()
    assert len(classes) > 25
    for cls in classes:
        assert cls.code in rows, f"{cls.__name__}: {PROBLEM_TYPE}{cls.code} is not in errors.md"
        status, exit_code = rows[cls.code]
        assert status == cls.http_status, cls.__name__
        assert exit_code in ("", str(cls.exit_code)), cls.__name__


def test_errors_md_names_no_code_that_nothing_raises() -> None:
    text = DOC.read_text("utf-8")
    known = {cls.code for cls in _every_error_class()} | set(CODE_OF_STATUS.values())
    assert {code for code, _status, _exit in ROW.findall(text)} <= known
    assert PROBLEM_TYPE in text


def test_one_code_one_status() -> None:
    seen: dict[str, int] = {}
    for cls in _every_error_class():
        assert seen.setdefault(cls.code, cls.http_status) == cls.http_status, cls.code
