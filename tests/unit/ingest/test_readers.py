from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from civgraph.ingest.fields import BadValue, coded, to_date, to_int, to_number
from civgraph.ingest.readers import UnreadableFile, encoding_of, read_rows

HEADER = "户号,姓名\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_or_gbk_reads_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes((HEADER + "H-1,张三\nH-2, 李四 \n").encode(encoding))

    rows = list(read_rows(path))

    assert [(row.line, row.values) for row in rows] == [
        (2, {"户号": "H-1", "姓名": "张三"}),
        (3, {"户号": "H-2", "姓名": "李四"}),
    ]


def test_a_utf8_character_cut_at_the_probe_end_does_not_make_it_gbk(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes((HEADER + "H-1,张三\n" * 200_000).encode("utf-8"))

    assert encoding_of(path) == "utf-8-sig"


def test_jsonl_lines_that_are_not_objects_become_errors_on_their_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"户号": "H-1"}\n\n[1, 2]\n{broken\n', encoding="utf-8")

    rows = [(row.line, row.values) for row in read_rows(path)]

    assert rows[0] == (1, {"户号": "H-1"})
    assert rows[1] == (3, {"__error__": "not a JSON object"})
    assert rows[2][0] == 4
    assert rows[2][1]["__error__"].startswith("not JSON")


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="unknown format"):
        read_rows(tmp_path / "rows.xls")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2024/2/3", date(2024, 2, 3)),
        ("20240203", date(2024, 2, 3)),
        ("2024年2月3日", date(2024, 2, 3)),
    ],
)
def test_dates_in_the_formats_registries_write(text: str, expected: date) -> None:
    assert to_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"), [("2023-02-29", "impossible"), ("next week", "not a date")]
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(BadValue, match=reason):
        to_date(text)


def test_numbers_and_codes() -> None:
    assert to_number("1,200.50") == 1200.5
    assert to_int("120.0") == 120
    for text, reason in (("12.5", "not a whole number"), ("十二", "not a number")):
        with pytest.raises(BadValue, match=reason):
            to_int(text)
    with pytest.raises(BadValue, match="unknown code '表亲'"):
        coded({"户主": "HEAD"})("表亲")


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity", "1e400"])
def test_numbers_are_finite(text: str) -> None:
    with pytest.raises(BadValue, match="not a number"):
        to_number(text)


def test_whole_numbers_stay_exact() -> None:
    assert to_int("9007199254740991") == 2**53 - 1
    for text in ("9007199254740992", "-1e30"):
        with pytest.raises(BadValue, match="out of range"):
            to_int(text)
