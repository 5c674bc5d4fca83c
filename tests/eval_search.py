"""How well search finds by meaning: precision@5 and recall@5 over a set of queries people ask.

Run from a checkout (the README's Search section quotes its output):

    python -m tests.eval_search            # the summary
    python -m tests.eval_search --misses   # and every query that misses a wanted fact or shows a wrong one

Each query lists the facts it must return among its first five (`want`) and, optionally, other
facts that are right answers too (`also`). For each query:

- recall@5 is the share of `want` among the first five results;
- precision@5 is the share of the first five results (or of all, when fewer) that are in `want`
  or `also`; a query that finds nothing has precision 0.

The figures are the means over the queries. `tests/test_search_eval.py` holds them above a floor.
The queries cover Chinese, English, both mixed, typos, traditional characters, full-width
characters and synonyms, written from the report. The ranking rules (sibling facts that share a
quote, topics named only by the term itself) were then shaped by misses of this set, so its
figures flatter the search; a different held-out set judges it as well.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NamedTuple

from lj_facts.index import Index, open_index, shipped_path
from lj_facts.search import search


class Query(NamedTuple):
    terms: tuple[str, ...]
    kind: str
    want: frozenset[str]
    also: frozenset[str] = frozenset()


def q(text: str, kind: str, want: str, also: str = "") -> Query:
    return Query(tuple(text.split()), kind, frozenset(want.split()), frozenset(also.split()))


AUTO = "auto.output-value auto.upgrading auto.vehicle-production auto.nev-production auto.vehicle-makers auto.upgrade-projects auto.parts-suppliers auto.nev-city-share auto.icv-city-share auto.high-end-projects auto.new-models auto.national-cluster auto.iov-pilot-zone industry.two-pillar-clusters"
HEALTH = "health.hospital-expansion-investment health.hospital-expansion-started health.hospital-expansion-hospitals health.hospital-expansion-centres health.rehabilitation-elderly-care-centre health.elderly-care-institutions health.medical-institutions"
RESEARCH = "innovation.research-teams innovation.research-platforms innovation.research-contracts talent.high-end-researchers innovation.universities-institutes innovation.universities-institutes-growth innovation.key-projects-signed innovation.technology-transfers innovation.university-enterprise-mechanism innovation.three-platforms"
DIGITAL = "digital.value-added digital.new-enterprises digital.enterprises digital.park-big-tech innovation.three-platforms digital.industrial-internet-alliance"
TRADE = "trade.foreign-trade trade.foreign-capital trade.cross-border-ecommerce"
PARKS = "environment.parks environment.new-parks environment.parks-west environment.city-of-parks consumption.starry-mall-opened innovation.lijia-smart-park"
INDUSTRY = "industry.gross-output industry.value-added industry.investment industry.profits industry.value-added-rate industry.tax-revenue industry.enterprises-above-designated-size"

QUERIES: list[Query] = [
    # Chinese
    q("汽车", "chinese", "auto.output-value", AUTO),
    q("新能源汽车", "chinese", "auto.nev-production auto.nev-city-share", AUTO),
    q("进出口", "chinese", "trade.foreign-trade", TRADE),
    q("外资", "chinese", "trade.foreign-capital", TRADE),
    q("研发", "chinese", "innovation.research-contracts", RESEARCH),
    q("芯片", "chinese", "electronics.gpu-project"),
    q("手机", "chinese", "electronics.smartphones"),
    q(
        "幼儿园",
        "chinese",
        "education.kindergartens",
        "education.public-kindergarten-rate education.inclusive-kindergarten-rate",
    ),
    q("医院", "chinese", "health.hospital-expansion-investment", HEALTH),
    q("地区生产总值", "chinese", "economy.gdp", "economy.gdp-standing-national-new-areas"),
    q("国内生产总值", "synonym", "economy.gdp", "economy.gdp-standing-national-new-areas"),
    q("数字经济", "chinese", "digital.value-added", DIGITAL),
    q("工业投资", "chinese", "industry.investment", INDUSTRY),
    q("利润", "chinese", "industry.profits"),
    q("增加值", "chinese", "industry.value-added digital.value-added", "industry.value-added-rate"),
    q("平板电脑", "chinese", "electronics.tablets"),
    q("中欧班列", "chinese", "opening.china-europe-trains"),
    q("跨境电商", "chinese", "trade.cross-border-ecommerce"),
    q("世界500强", "chinese", "opening.fortune-500-investors opening.fortune-500-city-share"),
    q("空气质量", "chinese", "environment.good-air-days"),
    q("养老保险", "chinese", "livelihood.pension-insurance-coverage"),
    q("高新技术企业", "chinese", "innovation.high-tech-enterprises"),
    q("招商引资", "chinese", "economy.investment-attracted"),
    q("绿化覆盖率", "chinese", "environment.green-coverage-ratio"),
    q("汽车产量", "chinese", "auto.vehicle-production", "auto.nev-production"),
    q("电子信息产业产值", "chinese", "electronics.output-value"),
    q("科研人员", "chinese", "talent.high-end-researchers", RESEARCH),
    # English
    q("car production", "english", "auto.vehicle-production", "auto.nev-production"),
    q("electric vehicles", "english", "auto.nev-production auto.nev-city-share", AUTO),
    q("smartphones", "english", "electronics.smartphones"),
    q("chips", "english", "electronics.gpu-project"),
    q("foreign investment", "english", "trade.foreign-capital", TRADE),
    q("foreign trade", "english", "trade.foreign-trade", TRADE),
    q("GDP", "english", "economy.gdp", "economy.gdp-standing-national-new-areas"),
    q(
        "kindergartens",
        "english",
        "education.kindergartens",
        "education.public-kindergarten-rate education.inclusive-kindergarten-rate",
    ),
    q("hospital", "english", "health.hospital-expansion-investment", HEALTH),
    q("industrial profits", "english", "industry.profits"),
    q("digital economy value added", "english", "digital.value-added"),
    q("R&D", "english", "innovation.research-contracts", RESEARCH),
    q("port cargo throughput", "english", "opening.guoyuan-port-throughput"),
    q("air quality", "english", "environment.good-air-days"),
    q("pension insurance", "english", "livelihood.pension-insurance-coverage"),
    q("high-tech enterprises", "english", "innovation.high-tech-enterprises"),
    q("tablet computers", "english", "electronics.tablets"),
    q("technology transfer", "english", "innovation.technology-transfers"),
    q(
        "schools",
        "english",
        "education.schools",
        "education.free-after-school-services education.firsts education.kindergartens education.three-thirty-classes",
    ),
    q("new market entities", "english", "economy.new-market-entities"),
    q("LCD screens", "english", "electronics.lcd-screens"),
    q("industry.gross-output", "english", "industry.gross-output"),
    q("GDP share", "english", "economy.gdp"),
    q("digital economy share", "english", "digital.value-added"),
    q("science and technology enterprises", "english", "innovation.technology-enterprises"),
    # mixed
    q("新能源 vehicles", "mixed", "auto.nev-production", AUTO),
    q("digital 企业", "mixed", "digital.new-enterprises digital.enterprises", DIGITAL),
    q("GDP 增长", "mixed", "economy.gdp"),
    q("工业 value added", "mixed", "industry.value-added", "industry.value-added-rate"),
    q("foreign capital 亿美元", "mixed", "trade.foreign-capital"),
    # typos
    q("industy", "typo", "industry.gross-output", INDUSTRY),
    q("vehicel", "typo", "auto.vehicle-production", AUTO),
    q(
        "kindergarden",
        "typo",
        "education.kindergartens",
        "education.public-kindergarten-rate education.inclusive-kindergarten-rate",
    ),
    q("smartphnes", "typo", "electronics.smartphones"),
    q("hosptal", "typo", "health.hospital-expansion-investment", HEALTH),
    q("pension insurence", "typo", "livelihood.pension-insurance-coverage"),
    # traditional
    q("汽車", "traditional", "auto.output-value", AUTO),
    q("醫院", "traditional", "health.hospital-expansion-investment", HEALTH),
    q("進出口", "traditional", "trade.foreign-trade", TRADE),
    q(
        "幼兒園",
        "traditional",
        "education.kindergartens",
        "education.public-kindergarten-rate education.inclusive-kindergarten-rate",
    ),
    q("數字經濟", "traditional", "digital.value-added", DIGITAL),
    q("積體電路", "traditional", "electronics.gpu-project"),
    q("手機", "traditional", "electronics.smartphones"),
    q("外資", "traditional", "trade.foreign-capital", TRADE),
    # full-width
    q("ｉｎｄｕｓｔｒｙ", "full-width", "industry.gross-output", INDUSTRY),
    q("ＧＤＰ", "full-width", "economy.gdp", "economy.gdp-standing-national-new-areas"),
    q("Ｒ＆Ｄ", "full-width", "innovation.research-contracts", RESEARCH),
    q("２００８．３", "full-width", "industry.gross-output"),
    q(
        "ｋｉｎｄｅｒｇａｒｔｅｎｓ",
        "full-width",
        "education.kindergartens",
        "education.public-kindergarten-rate education.inclusive-kindergarten-rate",
    ),
    # synonyms
    q("semiconductors", "synonym", "electronics.gpu-project"),
    q("automobile", "synonym", "auto.output-value", AUTO),
    q("FDI", "synonym", "trade.foreign-capital", TRADE),
    q("imports and exports", "synonym", "trade.foreign-trade", TRADE),
    q("mobile phones", "synonym", "electronics.smartphones"),
    q("NEV", "synonym", "auto.nev-production", AUTO),
    q("biomedicine", "synonym", "industry.emerging-industries", "industry.industrial-structure"),
    q(
        "logistics",
        "synonym",
        "opening.guoyuan-logistics-hub",
        "opening.guoyuan-port-throughput opening.singapore-cooperation industry.industrial-structure opening.china-europe-trains opening.land-sea-corridor-trains",
    ),
    q(
        "elderly care",
        "synonym",
        "health.rehabilitation-elderly-care-centre",
        HEALTH + " livelihood.pension-insurance-coverage",
    ),
    q("lighthouse factory", "synonym", "industry.sany-lighthouse-factory"),
    q("satellite internet", "synonym", "industry.satellite-internet-agreement"),
    q("driverless boat", "synonym", "innovation.unmanned-boat"),
    q("green parks", "synonym", "environment.parks", PARKS),
    q("smart phone", "synonym", "electronics.smartphones"),
    q("air pollution", "synonym", "environment.good-air-days"),
    q("car production", "synonym", "auto.vehicle-production", AUTO),
    q("GDP占全市比重", "synonym", "economy.gdp"),
    q("GDP增速", "synonym", "economy.gdp"),
    q("外贸增速", "synonym", "trade.foreign-trade", TRADE),
]


class Score(NamedTuple):
    precision: float
    recall: float


def score(index: Index, query: Query) -> tuple[Score, list[str]]:
    """Precision@5 and recall@5 of one query, and its first five results."""
    top = [f.id for f in search(index, query.terms, limit=5)]
    right = query.want | query.also
    precision = sum(i in right for i in top) / len(top) if top else 0.0
    recall = len(query.want & set(top)) / len(query.want)
    return Score(precision, recall), top


def evaluate(index: Index, queries: Sequence[Query] = QUERIES) -> dict[str, Score]:
    """Mean precision@5 and recall@5, over all queries (`all`) and by kind."""
    by_kind: dict[str, list[Score]] = {}
    for query in queries:
        s, _ = score(index, query)
        by_kind.setdefault("all", []).append(s)
        by_kind.setdefault(query.kind, []).append(s)
    return {
        kind: Score(sum(s.precision for s in scores) / len(scores), sum(s.recall for s in scores) / len(scores))
        for kind, scores in by_kind.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the queries that miss or show a wrong fact")
    args = parser.parse_args(argv)
    index = open_index(shipped_path(), None)
    counts: dict[str, int] = {}
    for query in QUERIES:
        counts[query.kind] = counts.get(query.kind, 0) + 1
    print(f"{len(QUERIES)} queries; precision@5 and recall@5 (means)\n")
    for kind, s in evaluate(index).items():
        n = len(QUERIES) if kind == "all" else counts[kind]
        print(f"{kind:<12} {n:>3} queries   precision@5 {s.precision:5.2f}   recall@5 {s.recall:5.2f}")
    if args.misses:
        print()
        for query in QUERIES:
            s, top = score(index, query)
            if s.recall < 1 or s.precision < 1:
                print(f"{' '.join(query.terms)}: p {s.precision:.2f} r {s.recall:.2f}: {' '.join(top) or '(nothing)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
