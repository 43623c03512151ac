"""ESCO (European Skills, Competences, Qualifications and Occupations): the data model, a
streaming reader of the official CSV release, and the small subset microcred ships.

ESCO © European Union, reuse with attribution; see ``data/PROVENANCE.md``.
"""

from __future__ import annotations

from microcred.core.esco.csv_import import (
    BroaderRecord,
    EscoRecord,
    RelationRecord,
    Table,
    parse_esco,
    read_file,
    table_of,
)
from microcred.core.esco.model import (
    EscoData,
    EscoOccupation,
    EscoSkill,
    Relation,
    SkillLink,
)
from microcred.core.esco.packaged import (
    esco_from_json,
    occupation_json,
    packaged_esco,
    skill_json,
)

__all__ = [
    "BroaderRecord",
    "EscoData",
    "EscoOccupation",
    "EscoRecord",
    "EscoSkill",
    "Relation",
    "RelationRecord",
    "SkillLink",
    "Table",
    "esco_from_json",
    "occupation_json",
    "packaged_esco",
    "parse_esco",
    "read_file",
    "skill_json",
    "table_of",
]
