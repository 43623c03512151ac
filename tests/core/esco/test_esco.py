import io

import pytest

from microcred.core.errors import EscoDataError
from microcred.core.esco import Relation, packaged_esco, parse_esco, read_file, table_of

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"


def _file(name, text):
    return name, io.StringIO(text)


RELEASE_FR = [
    _file(
        "skills_fr.csv",
        "\ufeffconceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
        f"KnowledgeSkillCompetence,{SKILL}a,knowledge,cross-sector,"
        'programmation informatique,"codage\nprogrammation"\n',
    ),
    _file(
        "occupations_fr.csv",
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n"
        f"Occupation,{OCC}o,2512,développeur de logiciels,,Conçoit des logiciels.,2512.4\n",
    ),
    _file(
        "occupationSkillRelations_fr.csv",
        "occupationUri,relationType,skillType,skillUri\n"
        f"{OCC}o,essential,knowledge,{SKILL}a\n{OCC}o,optional,skill/competence,{SKILL}b\n",
    ),
    _file(
        "broaderRelationsSkillPillar_fr.csv",
        "conceptType,conceptUri,broaderType,broaderUri\n"
        f"KnowledgeSkillCompetence,{SKILL}a,SkillGroup,http://data.europa.eu/esco/isced-f/0613\n",
    ),
    _file(
        "skillsHierarchy_fr.csv",
        "Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term\n"
        f"{SKILL}S,compétences,{SKILL}S1,communication\n",
    ),
    _file("ISCOGroups_fr.csv", "conceptType,conceptUri\nISCOGroup,x\n"),
]


def test_a_release_in_two_languages_merges_labels_relations_and_hierarchy():
    english = [
        _file("skills_en.csv", f"conceptUri,preferredLabel\n{SKILL}a,computer programming\n")
    ]
    data = parse_esco([*RELEASE_FR, *english])
    skill = data.skill(f"{SKILL}a")
    assert skill.labels == {"fr": "programmation informatique", "en": "computer programming"}
    assert skill.alt_labels["fr"] == ("codage", "programmation")
    occupation = data.occupation(f"{OCC}o")
    assert occupation.code == "2512.4"
    assert occupation.isco_group == "2512"
    assert {(link.skill[-1], link.relation) for link in occupation.skills} == {
        ("a", Relation.ESSENTIAL),
        ("b", Relation.OPTIONAL),
    }
    assert data.ancestors(f"{SKILL}a") == ("http://data.europa.eu/esco/isced-f/0613",)
    assert data.skill(f"{SKILL}S1").is_group
    assert data.ancestors(f"{SKILL}S1") == (f"{SKILL}S",)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "occupationSkillRelations_en.csv",
            f"occupationUri,relationType,skillUri\n{OCC}o,mandatory,{SKILL}a\n",
            "line 2, column 'relationType'",
        ),
        (
            "skills_en.csv",
            "conceptUri,preferredLabel\nurn:x:1,label\n",
            "line 2, column 'conceptUri'",
        ),
        (
            "skills_en.csv",
            f"conceptUri,preferredLabel\n{SKILL}a,\n",
            "line 2, column 'preferredLabel'",
        ),
        ("occupations_de.csv", "conceptUri,label\n", "line 1, column 'preferredLabel'"),
        ("skills_en.csv", f'conceptUri,preferredLabel\n{SKILL}a,"unclosed\n', "line"),
    ],
)
def test_refusals_name_file_line_and_column(name, text, where):
    with pytest.raises(EscoDataError) as caught:
        list(read_file(f"release/{name}", io.StringIO(text)))
    assert caught.value.message.startswith(f"release/{name}")
    assert where in caught.value.message


def test_file_names_say_table_and_language():
    assert table_of("x/skills_ro.csv")[1] == "ro"
    assert table_of("greenSkillsCollection_en.csv") is None
    with pytest.raises(EscoDataError, match="not an ESCO release file name"):
        table_of("skills.csv")


def test_packaged_subset_is_real_esco_and_says_where_relations_came_from():
    data = packaged_esco()
    analyst = data.occupation(f"{OCC}d3edb8f8-3a06-47a0-8fb9-9b212c006aa2")
    assert analyst.label("en") == "data analyst"
    assert analyst.code == "2511.3"
    assert analyst.label("ro") == "analist de date"
    assert all(link.source for link in analyst.skills)
    assert all(uri.startswith(SKILL) for uri in data.skills)
    for occupation in data.occupations.values():
        assert all(link.skill in data.skills for link in occupation.skills)
