"""The command reference (docs/commands.md) and the README's table of commands are the code's own."""

from __future__ import annotations

import pytest
import typer

from lj_facts.cli import app
from lj_facts.commands import LOOKUP, NAMES, registered

from .conftest import ROOT, docs_script


@pytest.fixture(scope="module")
def docs():
    """docs/commands.py, imported as a module."""
    return docs_script("commands")


def test_the_reference_and_the_readme_table_are_up_to_date(docs):
    """What `python docs/commands.py --update` would write is what the files hold."""
    assert (ROOT / "docs" / "commands.md").read_text(encoding="utf-8") == docs.reference()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme(readme) == readme
    assert docs.table() in readme


@pytest.mark.parametrize("name", NAMES)
def test_every_command_and_option_is_documented(name):
    """Each command has its section in docs/commands.md, its row in the table, and each of its options
    (the listing options included) is named in its section."""
    reference = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    heading = "## `lj-facts TOPIC|WORD...`" if name == LOOKUP else f"## `lj-facts {name}`"
    assert heading in reference
    section = reference.split(heading, 1)[1].split("\n## ", 1)[0]
    command = typer.main.get_command(app).commands[name]
    for param in command.params:
        for option in (*param.opts, *param.secondary_opts):
            if option.startswith("-"):
                assert option in section, f"{option} of {name} is not in docs/commands.md"
    assert registered(name).typer is not None


def test_adding_a_command_is_one_registration():
    """The group's commands are exactly the registry's, in its order, each from its own module."""
    group = typer.main.get_command(app)
    assert list(group.commands) == list(NAMES)
    for name in NAMES:
        assert group.commands[name].callback.__module__ == f"lj_facts.commands.{name.replace('-', '_')}"
