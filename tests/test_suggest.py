"""Did you mean: misspelled fields, sort keys and commands, and command-like words never searched in silence."""

from __future__ import annotations

import json

import pytest

from lj_facts import __version__, fields
from lj_facts.cli import app
from lj_facts.commands.common import command_names as _command_names
from lj_facts.suggest import closest, command_meant, not_a_command

COMMANDS = ("search", "list", "show", "topics", "city", "city-figures", "growth", "series", "validate", "draft")
FACT_FIELDS = fields.names(fields.FACT) + fields.names(fields.CITY)


class TestClosest:
    """The one function behind every suggestion."""

    @pytest.mark.parametrize(
        ("typed", "names", "expected"),
        [
            ("growth", FACT_FIELDS, ["growth_pct"]),
            ("Value", FACT_FIELDS, ["value"]),  # another case: that name alone
            ("ＶＡＬＵＥ", FACT_FIELDS, ["value"]),  # full-width
            ("growth-pct", FACT_FIELDS, ["growth_pct"]),  # - for _
            ("valeu", FACT_FIELDS, ["value"]),
            ("growht_pct", FACT_FIELDS, ["growth_pct"]),
            ("city_shar", FACT_FIELDS, ["city_share_pct", "city_source"]),
            ("xyzzy", FACT_FIELDS, []),
            ("", FACT_FIELDS, []),
        ],
    )
    def test_fields(self, typed, names, expected):
        assert closest(typed, names) == expected

    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("serach", "search"),
            ("serch", "search"),
            ("seach", "search"),
            ("lsit", "list"),
            ("lst", "list"),
            ("shwo", "show"),
            ("tpoics", "topics"),
            ("topic", "topics"),
            ("LIST", "list"),
            ("grwoth", "growth"),
            ("sereis", "series"),
            ("cty", "city"),
            ("city-figure", "city-figures"),
            ("city_figures", "city-figures"),
            ("valdiate", "validate"),
        ],
    )
    def test_a_mistyped_command_is_read_as_it(self, typed, expected):
        assert command_meant(typed, COMMANDS) == (expected, "")

    @pytest.mark.parametrize("typed", ["shop", "listed", "cities", "sales", "GDP", "汽车", "industry"])
    def test_a_word_is_no_command(self, typed):
        """Words a user searches for, however close to a command's letters, are not read as one."""
        assert command_meant(typed, COMMANDS) is None

    @pytest.mark.parametrize(
        ("typed", "expected"), [("all", "list"), ("全部", "list"), ("ls", "list"), ("find", "search"), ("get", "show")]
    )
    def test_words_for_commands(self, typed, expected):
        assert command_meant(typed, COMMANDS)[0] == expected


class TestFieldsSortKeysAndHas:
    @pytest.mark.parametrize(
        ("args", "said"),
        [
            (["--sort", "growth"], "lj-facts: --sort: unknown field 'growth'; did you mean 'growth_pct'?\n"),
            (["--fields", "id,Value"], "lj-facts: --fields: unknown field 'Value'; did you mean 'value'?\n"),
            (["--has", "growht_pct"], "lj-facts: --has: unknown field 'growht_pct'; did you mean 'growth_pct'?\n"),
            (
                ["--where", "Growth_pct>30"],
                "lj-facts: --where 'Growth_pct>30': unknown field 'Growth_pct'; did you mean 'growth_pct'?\n",
            ),
        ],
    )
    def test_a_misspelled_field_names_the_one_meant(self, runner, args, said):
        """One line, exit 2, the field meant and not the whole list of 46."""
        result = runner.invoke(app, ["list", *args])
        assert (result.exit_code, result.stderr, result.stdout) == (2, said, "")

    @pytest.mark.parametrize("typed", ["growth_pct>30", "unit=亿元", "label~port"])
    def test_a_comparison_given_to_has_points_to_where(self, runner, typed):
        result = runner.invoke(app, ["list", "--has", typed])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"lj-facts: --has: '{typed}' is a comparison, not a field: --where '{typed}'")
        assert "city_note" not in result.stderr, "no dump of every field name"

    def test_topics_suggest_their_own_fields(self, runner):
        result = runner.invoke(app, ["topics", "--sort", "fact"])
        assert result.stderr == "lj-facts: --sort: unknown field 'fact'; did you mean 'facts'?\n"


class TestMistypedCommands:
    @pytest.mark.parametrize(
        ("args", "meant"),
        [
            (["serach", "NEV"], "search"),
            (["lsit"], "list"),
            (["shwo", "economy.gdp"], "show"),
            (["tpoics"], "topics"),
            (["sereis", "output"], "series"),
            (["LIST"], "list"),
            (["find", "NEV"], "search"),
        ],
    )
    def test_a_mistyped_command_that_finds_nothing_is_a_usage_error(self, runner, args, meant):
        """Never a silent search: exit 2, the command meant, nothing on stdout."""
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"lj-facts: no command '{args[0]}'; did you mean '{meant}'?")
        assert result.stdout == ""

    def test_the_message_says_the_words_found_nothing_either(self, runner):
        result = runner.invoke(app, ["serach", "NEV"])
        assert result.stderr == (
            "lj-facts: no command 'serach'; did you mean 'search'? (no fact matches 'serach NEV' either)\n"
        )

    @pytest.mark.parametrize(
        ("word", "note"),
        [
            (
                "Growth",
                "lj-facts: note: searched for 'Growth' as a word; did you mean the command `lj-facts growth`?\n",
            ),
            ("all", "lj-facts: note: searched for 'all' as a word; `lj-facts list` lists every fact\n"),
        ],
    )
    def test_a_word_close_to_a_command_that_finds_facts_is_answered_with_a_note(self, runner, word, note):
        """Facts say "growth": the search is answered (exit 0, the same rows), stderr names the command."""
        result = runner.invoke(app, [word, "--json"])
        assert result.exit_code == 0 and result.stderr == note
        assert json.loads(result.stdout) == json.loads(runner.invoke(app, ["search", word, "--json"]).stdout)

    def test_a_topic_or_a_plain_word_gets_no_note(self, runner):
        for args in (["industry"], ["新能源汽车"], ["GDP"]):
            result = runner.invoke(app, [*args, "--json"])
            assert result.exit_code == 0 and result.stderr == "", args

    def test_a_plain_word_finding_nothing_still_exits_1(self, runner):
        result = runner.invoke(app, ["quantum", "--json"])
        assert result.exit_code == 1 and "no command" not in result.stderr


class TestCommandLikeWords:
    @pytest.mark.parametrize("word", ["dump", "serve", "columns", "datasette", "EXPORT", "sql", "where"])
    def test_never_searched_in_silence(self, runner, word):
        """`export` finds trade facts as a word: as a first word it is a usage error saying so."""
        result = runner.invoke(app, [word, "--json"])
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"lj-facts: no command '{word}' in lj-facts {__version__}")
        assert f"To search for the word: lj-facts search {word}" in result.stderr

    def test_the_search_for_the_word_still_works(self, runner):
        result = runner.invoke(app, ["search", "export", "--json"])
        assert result.exit_code == 0 and json.loads(result.stdout)

    def test_a_real_command_of_that_name_runs(self):
        """Where lj-facts has the command (another version's `export`), the word is no refusal: it runs."""
        assert not_a_command("export", [*COMMANDS, "export"], __version__) is None
        assert not_a_command("serve", [*COMMANDS, "export"], __version__).count("lj-facts export --help") == 1

    def test_every_word_refused_is_no_command_here(self):
        """A word of EXPECTED that is a command here (`export`, `schema`) runs; the others are refused."""
        from lj_facts.suggest import EXPECTED

        for word in EXPECTED:
            refused = not_a_command(word, _command_names(), __version__)
            assert (refused is None) is (word in _command_names()), word

    @pytest.mark.parametrize("word, helper", [("serve", "export"), ("dump", "export"), ("columns", "schema")])
    def test_a_word_for_a_command_here_names_it(self, runner, word, helper):
        result = runner.invoke(app, [word])
        assert result.exit_code == 2
        assert f"`lj-facts {helper} --help` tells how to write what it needs" in result.stderr

    def test_help_is_the_help(self, runner):
        assert runner.invoke(app, ["help"]).stdout == runner.invoke(app, ["--help"]).stdout

    def test_help_of_a_command(self, runner):
        result = runner.invoke(app, ["help", "list"])
        assert result.exit_code == 0 and result.stdout == runner.invoke(app, ["list", "--help"]).stdout
        assert "--where" in result.stdout

    def test_version(self, runner):
        result = runner.invoke(app, ["version"])
        assert (result.exit_code, result.stdout) == (0, f"lj-facts {__version__}\n")
