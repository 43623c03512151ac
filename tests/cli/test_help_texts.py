"""Every command says what it needs: help on every option, required ones marked, choices listed.

The test walks the whole ``microcred`` command tree (argparse sub-parsers at every depth), so a
command or option added later without help fails here.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from microcred.cli import commands
from microcred.cli.main import build_parser, main

# Option names whose values come from a fixed list: they must offer argparse choices.
ENUMERATED = frozenset({
    "type", "role", "to", "format", "suite", "purpose", "status_purpose", "sector", "did_method",
})  # fmt: skip
Found = tuple[str, argparse.ArgumentParser, argparse.Action]


def _walk(parser: argparse.ArgumentParser, path: str) -> Iterator[Found]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _walk(child, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            yield path, parser, action


def _commands(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, str | None]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield f"{path} {name}", helps.get(name)
                yield from _commands(child, f"{path} {name}")


ROOT = build_parser(commands.modules())
OPTIONS = list(_walk(ROOT, "microcred"))


def _name(found: Found) -> str:
    path, _, action = found
    return f"{path} {'/'.join(action.option_strings) or action.dest}"


def test_the_walk_reaches_nested_commands() -> None:
    names = {_name(found) for found in OPTIONS}
    assert "microcred provider create --slug" in names
    assert "microcred status set index" in names
    assert len(OPTIONS) > 80


@pytest.mark.parametrize(("command", "text"), list(_commands(ROOT, "microcred")))
def test_every_command_has_help(command: str, text: str | None) -> None:
    assert text, f"{command} has no help text"
    assert text.strip()


@pytest.mark.parametrize("found", OPTIONS, ids=_name)
def test_every_option_has_help(found: Found) -> None:
    _, _, action = found
    assert action.help
    assert action.help.strip()
    assert action.help != argparse.SUPPRESS


@pytest.mark.parametrize("found", [f for f in OPTIONS if f[2].required and f[2].option_strings],
                         ids=_name)  # fmt: skip
def test_required_options_say_so(found: Found) -> None:
    _, _, action = found
    assert "required" in (action.help or "")


@pytest.mark.parametrize("found", [f for f in OPTIONS if f[2].dest in ENUMERATED], ids=_name)
def test_enumerated_options_offer_their_values(found: Found) -> None:
    _, parser, action = found
    assert action.choices, f"{_name(found)} takes one of a fixed list but does not list it"
    shown = parser.format_help()
    assert all(str(choice) in shown for choice in action.choices)


def test_provider_create_help_names_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["provider", "create", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--slug SLUG required without --file" in shown
    assert "higher-education" in shown
    assert "public-employment-service" in shown
    assert "required without --file: kind of provider" in shown


def test_provider_create_without_slug_or_type_names_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["provider", "create", "--name", "Acme"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert all(name in err for name in ("--slug", "--type", "--country"))
    assert "--name" not in err
