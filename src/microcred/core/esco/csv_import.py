"""A streaming reader of the official ESCO CSV release (any language).

The release has one file per table and language: ``occupations_fr.csv``, ``skills_fr.csv``,
``skillGroups_fr.csv``, ``occupationSkillRelations_fr.csv``, ``broaderRelationsSkillPillar_fr.csv``,
``skillsHierarchy_fr.csv``... This module reads their rows (given as lines of text; the caller
opens the files) into records, one at a time, so a storage layer can write them in batches, and
:func:`parse_esco` gathers them into :class:`EscoData`. Every refusal names file, line, column.
Files of the release this module does not use (``ISCOGroups``, collections) are skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from microcred.core.errors import EscoDataError
from microcred.core.esco.model import (
    EscoData,
    EscoOccupation,
    EscoSkill,
    Relation,
    SkillLink,
)

ESCO_URI = "http://data.europa.eu/esco/"
FILE_NAME = re.compile(r"^(?P<table>[A-Za-z]+)_(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.csv$")
MAX_FIELD = 1_000_000


class Table(StrEnum):
    """The tables of the release that microcred reads."""

    OCCUPATIONS = "occupations"
    SKILLS = "skills"
    SKILL_GROUPS = "skillGroups"
    RELATIONS = "occupationSkillRelations"
    BROADER = "broaderRelationsSkillPillar"
    HIERARCHY = "skillsHierarchy"


REQUIRED: dict[Table, tuple[str, ...]] = {
    Table.OCCUPATIONS: ("conceptUri", "preferredLabel"),
    Table.SKILLS: ("conceptUri", "preferredLabel"),
    Table.SKILL_GROUPS: ("conceptUri", "preferredLabel"),
    Table.RELATIONS: ("occupationUri", "relationType", "skillUri"),
    Table.BROADER: ("conceptUri", "broaderUri"),
    Table.HIERARCHY: ("Level 0 URI", "Level 0 preferred term"),
}


@dataclass(frozen=True)
class RelationRecord:
    occupation: str
    link: SkillLink


@dataclass(frozen=True)
class BroaderRecord:
    concept: str
    broader: str


EscoRecord: TypeAlias = EscoOccupation | EscoSkill | RelationRecord | BroaderRecord


def table_of(name: str) -> tuple[Table, str] | None:
    """The table and language of a release file name; ``None`` for tables we do not read.

    ``EscoDataError`` when the name is not ``<table>_<language>.csv`` at all."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    match = FILE_NAME.match(base)
    if match is None:
        raise EscoDataError(
            "not an ESCO release file name (expected <table>_<language>.csv, e.g. skills_fr.csv)",
            file=name,
        )
    try:
        return Table(match["table"]), match["lang"]
    except ValueError:
        return None


def read_file(name: str, lines: Iterable[str]) -> Iterator[EscoRecord]:
    """The records of one release file, streamed; nothing for a table microcred does not use."""
    found = table_of(name)
    if found is None:
        return
    table, language = found
    reader = csv.DictReader(_without_bom(lines), strict=True)
    _check_header(name, table, reader.fieldnames)
    try:
        for row in reader:
            yield from _records(table, language, _Row(name, reader.line_num, row))
    except csv.Error as exc:
        raise EscoDataError(f"broken CSV: {exc}", file=name, line=reader.line_num) from exc


def parse_esco(files: Iterable[tuple[str, Iterable[str]]]) -> EscoData:
    """Everything in ``files`` (name, lines) gathered into one :class:`EscoData`.

    Files in several languages merge (labels per language). A relation or broader link that
    names a concept absent from every file given is kept: the release is read as published."""
    occupations: dict[str, EscoOccupation] = {}
    skills: dict[str, EscoSkill] = {}
    links: dict[str, dict[tuple[str, Relation], SkillLink]] = {}
    broader: dict[str, dict[str, None]] = {}
    for name, lines in files:
        for record in read_file(name, lines):
            if isinstance(record, EscoOccupation):
                occupations[record.uri] = _join_occupation(occupations.get(record.uri), record)
            elif isinstance(record, EscoSkill):
                skills[record.uri] = _join_skill(skills.get(record.uri), record)
            elif isinstance(record, RelationRecord):
                key = (record.link.skill, record.link.relation)
                links.setdefault(record.occupation, {})[key] = record.link
            else:
                broader.setdefault(record.concept, {})[record.broader] = None
    for uri, found in links.items():
        base = occupations.get(uri) or EscoOccupation(uri=uri, labels={})
        occupations[uri] = _with_links(base, tuple(found.values()))
    return EscoData(occupations, skills, {k: tuple(v) for k, v in broader.items()})


class _Row:
    """One CSV row with where it came from, for messages that name file, line and column."""

    def __init__(self, file: str, line: int, values: dict[str, str | None]) -> None:
        self.file, self.line, self.values = file, line, values

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, "is empty")
        return value

    def uri(self, column: str) -> str:
        value = self.required(column)
        if not value.startswith(ESCO_URI):
            raise self.error(column, f"{value[:80]!r} is not an ESCO URI ({ESCO_URI}...)")
        return value

    def error(self, column: str, problem: str) -> EscoDataError:
        return EscoDataError(problem, file=self.file, line=self.line, column=column)


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for line in lines:
        if len(line) > MAX_FIELD:
            raise EscoDataError(f"a line longer than {MAX_FIELD} characters", file="input")
        yield line.removeprefix("\ufeff") if first else line
        first = False


def _check_header(name: str, table: Table, header: Iterable[str] | None) -> None:
    present = set(header or ())
    missing = [column for column in REQUIRED[table] if column not in present]
    if missing:
        raise EscoDataError(
            f"the header lacks column(s) {', '.join(missing)} of an ESCO {table.value} file",
            file=name,
            line=1,
            column=missing[0],
        )


def _alternatives(row: _Row, language: str) -> dict[str, tuple[str, ...]]:
    parts = re.split(r"\n|\s\|\s", row.text("altLabels"))
    texts = tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
    return {language: texts} if texts else {}


def _records(table: Table, language: str, row: _Row) -> Iterator[EscoRecord]:
    if table is Table.OCCUPATIONS:
        yield _occupation(row, language)
    elif table in (Table.SKILLS, Table.SKILL_GROUPS):
        yield _skill(row, language, is_group=table is Table.SKILL_GROUPS)
    elif table is Table.RELATIONS:
        yield _relation(row)
    elif table is Table.BROADER:
        yield BroaderRecord(row.uri("conceptUri"), _broader_uri(row))
    else:
        yield from _hierarchy(row, language)


def _occupation(row: _Row, language: str) -> EscoOccupation:
    description = row.text("description")
    return EscoOccupation(
        uri=row.uri("conceptUri"),
        labels={language: row.required("preferredLabel")},
        alt_labels=_alternatives(row, language),
        isco_group=row.text("iscoGroup") or None,
        code=row.text("code") or None,
        description={language: description} if description else {},
    )


def _skill(row: _Row, language: str, *, is_group: bool) -> EscoSkill:
    return EscoSkill(
        uri=row.uri("conceptUri"),
        labels={language: row.required("preferredLabel")},
        alt_labels=_alternatives(row, language),
        skill_type=row.text("skillType") or None,
        reuse_level=row.text("reuseLevel") or None,
        is_group=is_group,
    )


def _relation(row: _Row) -> RelationRecord:
    kind = row.required("relationType")
    try:
        relation = Relation(kind)
    except ValueError:
        raise row.error("relationType", f"{kind!r} is neither 'essential' nor 'optional'") from None
    return RelationRecord(row.uri("occupationUri"), SkillLink(row.uri("skillUri"), relation))


def _broader_uri(row: _Row) -> str:
    value = row.required("broaderUri")
    if not value.startswith(ESCO_URI):
        raise row.error("broaderUri", f"{value[:80]!r} is not an ESCO URI ({ESCO_URI}...)")
    return value


def _hierarchy(row: _Row, language: str) -> Iterator[EscoRecord]:
    """A hierarchy row names a chain Level 0 > 1 > 2 > 3: the deepest group and its parent."""
    chain: list[str] = []
    for level in range(4):
        uri = row.text(f"Level {level} URI")
        if not uri:
            break
        if not uri.startswith(ESCO_URI):
            raise row.error(f"Level {level} URI", f"{uri[:80]!r} is not an ESCO URI")
        chain.append(uri)
    if not chain:
        raise row.error("Level 0 URI", "is empty")
    deepest = len(chain) - 1
    label = row.required(f"Level {deepest} preferred term")
    yield EscoSkill(uri=chain[-1], labels={language: label}, is_group=True)
    if deepest:
        yield BroaderRecord(chain[-1], chain[-2])


def _join_skill(old: EscoSkill | None, new: EscoSkill) -> EscoSkill:
    if old is None:
        return new
    return EscoSkill(
        uri=old.uri,
        labels={**old.labels, **new.labels},
        alt_labels={**old.alt_labels, **new.alt_labels},
        skill_type=old.skill_type or new.skill_type,
        reuse_level=old.reuse_level or new.reuse_level,
        is_group=old.is_group or new.is_group,
    )


def _join_occupation(old: EscoOccupation | None, new: EscoOccupation) -> EscoOccupation:
    if old is None:
        return new
    return EscoOccupation(
        uri=old.uri,
        labels={**old.labels, **new.labels},
        alt_labels={**old.alt_labels, **new.alt_labels},
        isco_group=old.isco_group or new.isco_group,
        code=old.code or new.code,
        description={**old.description, **new.description},
        skills=old.skills,
    )


def _with_links(occupation: EscoOccupation, links: tuple[SkillLink, ...]) -> EscoOccupation:
    return EscoOccupation(
        uri=occupation.uri,
        labels=occupation.labels,
        alt_labels=occupation.alt_labels,
        isco_group=occupation.isco_group,
        code=occupation.code,
        description=occupation.description,
        skills=links,
    )
