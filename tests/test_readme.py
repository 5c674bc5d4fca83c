"""The README never drifts: its example outputs are what the commands print now."""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT, docs_script

SCRIPT = ROOT / "docs" / "readme.py"


@pytest.mark.skipif(not SCRIPT.exists(), reason="an installed package without the checkout's docs")
def test_readme_examples_are_the_commands_output(monkeypatch, capsys):
    """`python docs/readme.py --check` passes (its main() in-process; each block's commands run in a shell
    of their own, as written); `--update` fixes it when it does not."""
    monkeypatch.setattr(sys, "argv", ["readme.py", "--check"])
    status = docs_script("readme").main()
    assert status == 0, capsys.readouterr().out[-4000:]


def test_generated_blocks_are_found():
    """The README has run blocks and the field tables, so the check checks something."""
    text = "".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
    assert text.count("<!-- readme: run -->") >= 5
    assert "<!-- readme: fields FACT -->" in text and "<!-- readme: fields CITY -->" in text


def test_readme_is_short_and_links_pages_that_exist():
    """The README is the front page (at most 150 lines); every page it links is there."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert links
    for link in links:
        assert (ROOT / link).exists(), link
