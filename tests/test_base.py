"""A knowledge base of several files: one id across them, and series checking growth against levels."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app

from .conftest import MINIMAL

LATER = """\
[meta]
title = "A later report"
region = "Liangjiang New Area"
region_zh = "两江新区"
city = "Chongqing"
city_zh = "重庆市"
default_period = "2022-H1"
period_inference = "Stated."

[[sources]]
id = "later"
title = "A later report"

[topics.industry]
name = "Industry"
name_zh = "工业"

[indicators.output]
label = "gross industrial output"
label_zh = "规上工业总产值"
kind = "level"
unit = "亿元"

[[facts]]
id = "2022-h1.industry.gross-output"
topics = ["industry"]
label = "gross industrial output"
text = "规上工业总产值达2200亿元、增长{growth}%"
kind = "number"
value = 2200
unit = "亿元"
growth_pct = {growth}
indicator = "output"
"""
EARLIER = (
    MINIMAL.replace("city_share_pct = 16.3\n", 'city_share_pct = 16.3\nindicator = "output"\n')
    + """
[indicators.output]
label = "gross industrial output"
label_zh = "规上工业总产值"
kind = "level"
unit = "亿元"
"""
)


def _base(tmp_path, growth="9.5"):
    (tmp_path / "a.toml").write_text(EARLIER, encoding="utf-8")
    (tmp_path / "b.toml").write_text(LATER.format(growth=growth), encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a knowledge file", encoding="utf-8")
    return tmp_path


def test_a_folder_is_every_knowledge_file_in_it(runner, tmp_path):
    """`--file DIR` reads every *.toml of the folder, and each row says its source."""
    result = runner.invoke(app, ["--file", str(_base(tmp_path)), "--json", "industry"])
    assert result.exit_code == 0, result.stderr
    sources = {r["id"]: r["source"] for r in json.loads(result.stdout)}
    assert sources == {"industry.gross-output": "report", "2022-h1.industry.gross-output": "later"}


def test_the_same_id_in_two_files_names_both(runner, tmp_path):
    """An id defined in two files is a schema error naming both files and their lines (exit 2)."""
    _base(tmp_path)
    (tmp_path / "c.toml").write_text(LATER.format(growth="9.5"), encoding="utf-8")
    result = runner.invoke(app, ["--file", str(tmp_path), "industry"])
    assert result.exit_code == 2
    assert "b.toml:25 and" in result.stderr and "c.toml:25" in result.stderr


def test_series_checks_stated_growth_against_the_levels(runner, tmp_path):
    """Growth the levels imply (2200 / 2008.3) agrees with 9.5% and flags a planted 20%."""
    for growth, check in (("9.5", "agrees"), ("20.0", "differs")):
        result = runner.invoke(app, ["--file", str(_base(tmp_path, growth)), "series", "output", "--json"])
        assert result.exit_code == 0, result.stderr
        rows = json.loads(result.stdout)
        assert [r["period"] for r in rows] == ["2021-H1", "2022-H1"]
        assert rows[1]["growth_check"] == check
        assert ("warning" in result.stderr) is (check == "differs")


def test_a_folder_base_is_cached_and_not_rebuilt(runner, tmp_path, monkeypatch):
    """A folder is no stream: its files get one index in the cache, which later look-ups answer from."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(cache))
    (tmp_path / "base").mkdir()
    base = _base(tmp_path / "base")
    first = runner.invoke(app, ["--file", str(base), "--json", "industry"])
    assert first.exit_code == 0, first.stderr
    built = sorted(cache.glob("*.sqlite3"))
    assert len(built) == 1
    stamp = built[0].stat().st_mtime_ns
    second = runner.invoke(app, ["--file", str(base), "--json", "industry"])
    assert second.stdout == first.stdout
    assert sorted(cache.glob("*.sqlite3")) == built and built[0].stat().st_mtime_ns == stamp


@pytest.mark.parametrize("args", [["industry"], ["growth"], ["series", "output"], ["search", "工业总产值"]])
def test_every_table_of_several_reports_names_each_rows_source(runner, tmp_path, args):
    """Rows of two reports: each names its report under its words; the caption counts the reports."""
    result = runner.invoke(app, ["--file", str(_base(tmp_path)), *args, "-f", "table"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "source: A report (report)" in result.stdout
    assert "source: A later report (later)" in result.stdout
    if args[0] != "series":
        assert "· 2 reports" in result.stdout


def test_a_table_of_one_report_names_it_in_the_caption_only(runner, tmp_path):
    result = runner.invoke(app, ["--file", str(_base(tmp_path)), "industry", "--period", "2022-H1", "-f", "table"])
    assert result.exit_code == 0, result.stderr
    assert "source:" not in result.stdout
    assert result.stdout.rstrip().endswith("· A later report")


@pytest.mark.parametrize(
    ("qualifier", "growth", "check"),
    [
        ("over", "5.0", "agrees"),  # above 2008.3 a year before: the growth to 2200 is at most +9.55%
        ("over", "12.0", "differs"),  # beyond what any level above 2008.3 allows
        ("nearly", "12.0", "agrees"),  # below 2008.3: any growth above +9.5% is possible
        ("nearly", "5.0", "differs"),
        ("about", "30.0", None),  # 约: nothing to check
    ],
)
def test_a_qualified_level_bounds_the_growth_on_its_side(runner, tmp_path, qualifier, growth, check):
    """超2008.3 a year before: the growth the levels imply has a ceiling and no floor; 近 the reverse."""
    earlier = EARLIER.replace("value = 2008.3\n", f'value = 2008.3\nqualifier = "{qualifier}"\n')
    (tmp_path / "a.toml").write_text(earlier, encoding="utf-8")
    (tmp_path / "b.toml").write_text(LATER.format(growth=growth), encoding="utf-8")
    result = runner.invoke(app, ["--file", str(tmp_path), "series", "output", "--json"])
    assert result.exit_code == 0, result.stderr
    later = json.loads(result.stdout)[1]
    assert later["growth_check"] == check
    assert ("warning" in result.stderr) is (check == "differs")
