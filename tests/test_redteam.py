"""The red team (tests/redteam.py) as part of the suite: every hostile class, as real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REDTEAM = Path(__file__).with_name("redteam.py")


@pytest.mark.slow
def test_red_team_finds_no_failure():
    """Every case of the red team passes (the quick run: each class, fewer command × format pairs)."""
    p = subprocess.run(
        [sys.executable, str(REDTEAM), "--quick", "-j", "6"], capture_output=True, text=True, timeout=300
    )
    summary = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr[-2000:]
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]
    assert " 0 failed" in summary, summary
