"""Dates as feeds write them → aware UTC datetimes (alaune.text.dates; SECURITY.md C5)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest

from alaune.text.dates import parse_date, parse_dates, read_date, rfc3339

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # RFC 822 / 1123 / 2822, as RSS writes them, and their common deviations.
        ("Sat, 28 Nov 2026 10:00:00 +0100", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 Nov 2026 10:00:00 GMT", utc(2026, 11, 28, 10, 0)),
        ("Sat, 28 Nov 2026 10:00:00 UT", utc(2026, 11, 28, 10, 0)),
        ("Sat, 28 Nov 2026 10:00:00 Z", utc(2026, 11, 28, 10, 0)),
        ("Sat, 28 Nov 2026 10:00:00 -0000", utc(2026, 11, 28, 10, 0)),
        ("28 Nov 2026 10:00 GMT", utc(2026, 11, 28, 10, 0)),  # no weekday, no seconds
        ("Mon, 28 Nov 2026 10:00:00 GMT", utc(2026, 11, 28, 10, 0)),  # wrong weekday
        ("Sat, 28 Nov 26 10:00:00 EST", utc(2026, 11, 28, 15, 0)),  # two-digit year, US zone
        ("Sat, 28 Nov 2026 10:00:00 PDT", utc(2026, 11, 28, 17, 0)),
        ("Sat, 28 Nov 2026 10:00:00 CEST", utc(2026, 11, 28, 8, 0)),  # European names
        ("Sat, 28 Nov 2026 10:00:00 CET", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 Nov 2026 10:00:00 GMT+1", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 Nov 2026 10:00:00 GMT+01:00", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 Nov 2026 10:00:00 +01:00", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 Nov 2026 10:00:00 +0100 (CET)", utc(2026, 11, 28, 9, 0)),
        ("Sat, 28 November 2026 10:00:00 +0000", utc(2026, 11, 28, 10, 0)),
        ("Sat,28 Nov 2026 10:00:00 +0000", utc(2026, 11, 28, 10, 0)),
        ("Sat Nov 28 10:00:00 2026", utc(2026, 11, 28, 9, 0)),  # asctime, no zone
        ("Nov 28, 2026 3:04 PM", utc(2026, 11, 28, 14, 4)),
        ("Sat, Dec 16 2023 02:02:33 PM", utc(2023, 12, 16, 13, 2, 33)),
        # ISO 8601 / RFC 3339, as Atom, JSON Feed and sitemaps write them.
        ("2026-11-28T10:00:00Z", utc(2026, 11, 28, 10, 0)),
        ("2026-11-28T10:00:00+01:00", utc(2026, 11, 28, 9, 0)),
        ("2026-11-28T10:00:00+0100", utc(2026, 11, 28, 9, 0)),
        ("2026-11-28T10:00:00.123456789-05:00", utc(2026, 11, 28, 15, 0, 0, 123456)),
        ("2026-11-28t10:00:00z", utc(2026, 11, 28, 10, 0)),
        ("2026-11-28 10:00:00", utc(2026, 11, 28, 9, 0)),
        ("20261128T100000Z", utc(2026, 11, 28, 10, 0)),
        ("2026-11-28", utc(2026, 11, 27, 23, 0)),  # a day starts at midnight in Casablanca
        # Day-first numeric dates and month names, French and Arabic (Casablanca time).
        ("28/11/2026 10:30", utc(2026, 11, 28, 9, 30)),
        ("28.11.2026", utc(2026, 11, 27, 23, 0)),
        ("2026/11/28 10:30", utc(2026, 11, 28, 9, 30)),
        ("samedi 28 novembre 2026 à 10h30", utc(2026, 11, 28, 9, 30)),
        ("Dimanche 1er mars 2026 15:04", utc(2026, 3, 1, 15, 4)),  # Ramadan: Morocco at UTC+0
        ("28 août 2026", utc(2026, 8, 27, 23, 0)),
        ("28 AOUT 2026 - 10:00", utc(2026, 8, 28, 9, 0)),
        ("12 févr. 2026 08:00", utc(2026, 2, 12, 7, 0)),
        ("28 نوفمبر 2026", utc(2026, 11, 27, 23, 0)),
        ("٢٨ نونبر ٢٠٢٦ - ١٠:٣٠", utc(2026, 11, 28, 9, 30)),  # Moroccan month, Arabic digits
        ("الأحد 15 يوليوز 2026", utc(2026, 7, 14, 23, 0)),
        ("3 جانفي 2026", utc(2026, 1, 2, 23, 0)),  # Algerian/Tunisian month names
        ("28 تشرين الثاني 2026", utc(2026, 11, 27, 23, 0)),  # Levantine, two words
        ("5 أبريل، 2026", utc(2026, 4, 4, 23, 0)),
    ],
)
def test_written_dates_are_read(written: str, expected: datetime) -> None:
    assert read_date(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "tomorrow",
        "demain matin",
        "il y a 2 heures",
        "0000-00-00",
        "2026-13-45T99:00:00Z",
        "2026-02-30",
        "Tue, 31 Feb 2026 10:00:00 +0100",
        "Thu, 01 Jan 1970 00:00:00 GMT",  # the epoch: a placeholder, not a date
        "Sat, 28 Nov 2026 10:00:00 +2400",  # no such offset
        "Publié le 28 nov. à 10h30",  # no year: not guessed
        "12345",
        "x" * 10_000,
    ],
)
def test_what_is_not_a_date_is_none(written: str) -> None:
    assert read_date(written) is None
    assert parse_date(written, now=NOW) is None


def test_a_future_date_becomes_the_fetch_time() -> None:
    assert parse_date("Fri, 31 Dec 9999 23:59:59 GMT", now=NOW) == NOW
    assert parse_date("2026-11-29T12:00:01Z", now=NOW) == NOW
    assert parse_date("2026-11-29T11:59:59Z", now=NOW) == NOW - timedelta(seconds=1)


def test_now_in_another_zone_still_clamps_in_utc() -> None:
    paris_now = NOW.astimezone(timezone(timedelta(hours=1)))
    clamped = parse_date("2030-01-01T00:00:00Z", now=paris_now)
    assert clamped == NOW
    assert clamped is not None
    assert clamped.utcoffset() == timedelta(0)


def test_a_zone_less_date_uses_the_given_default_zone() -> None:
    assert read_date("2026-11-28 10:00", default_zone=UTC) == utc(2026, 11, 28, 10, 0)


def test_results_are_always_utc() -> None:
    for written in ("Sat, 28 Nov 2026 10:00:00 +0500", "2026-11-28T10:00:00-03:00", "28/11/2026"):
        parsed = read_date(written)
        assert parsed is not None
        assert parsed.tzinfo is UTC


def test_rfc3339() -> None:
    assert rfc3339(utc(2026, 11, 28, 9, 0, 0, 500)) == "2026-11-28T09:00:00Z"
    assert rfc3339(datetime(2026, 11, 28, 10, tzinfo=timezone(timedelta(hours=1)))) == (
        "2026-11-28T09:00:00Z"
    )
    assert rfc3339(None) is None


def _rfc822_variants() -> list[str]:
    """RFC 822 dates for `parse_dates`'s inline path and its every way out: all months in three
    spellings, edge and impossible days (29 Feb, 31 Apr, 0, 32), hours and seconds out of range,
    years before `MIN_YEAR` or impossible, every kind of zone, non-ASCII digits, the clamp."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    found = []
    for n, month in enumerate(months):
        for spelling in (month, month.upper(), month.lower(), month.swapcase()):
            for day in ("0", "1", "01", "9", "28", "29", "30", "31", "32"):
                year = ("2024", "2026", "2100", "1994", "1995", "0000", "0999", "9998")[n % 8]
                found.append(f"Tue, {day} {spelling} {year} 10:05:00 +0100")
                found.append(f"{day} {spelling} 2028 23:59 -0930")
    clocks = ["00:00", "23:59", "24:00", "25:00", "99:99", "10:60", "10:05:59", "10:05:60"]
    zones = ["+0000", "-0000", "+0100", "-0530", "+1400", "-1400", "+1401", "+2500", "GMT", "UT"]
    zones += ["UTC", "Z", "CEST", "+01:00", "gmt"]
    for clock in clocks:
        for zone in zones:
            found.append(f"Sat, 28 Nov 2026 {clock} {zone}")
            found.append(f" 1 Dec 2026 {clock} {zone} ")  # after `NOW`: clamped
    found += [
        "Sat, ٢٨ Nov ٢٠٢٦ ١٠:٠٥:٠٠ +0100",  # digits `int` reads and `fromisoformat` does not
        "Sat, 28 Nov 2026 10:05:00 +٠١٠٠",
        "Sat, 28 Nov 2026 １０:05 GMT",
        "Sat, 28 Nov 2026 10:05:00",
        "Sat, 28 Nov 2026 10:05:00 +0100 (CET)",
        "Sat,28 Nov 2026 10:05:00 +0100",
        "Xyz, 28 Nov 2026 10:05:00 +0100",
        "28 Now 2026 10:05:00 +0100",
        "",
    ]
    return found


def test_parse_dates_reads_each_date_as_parse_date_does() -> None:
    # The same datetimes with the same tzinfo object (`UTC`): compared pickled, not by `==`.
    written = _rfc822_variants()
    assert len(written) > 1000
    expected = [parse_date(value, now=NOW) for value in written]
    assert any(date is None for date in expected)
    assert any(date == NOW for date in expected)
    read = parse_dates(written, now=NOW)
    for value, date, reference in zip(written, read, expected, strict=True):
        assert pickle.dumps(date) == pickle.dumps(reference), value


def test_iso_strings_in_utc_read_as_the_utc_singleton() -> None:
    # `parse_dates` relies on it: its results must be `UTC`-based like `parse_date`'s.
    assert datetime.fromisoformat("2026-11-28T10:05:00+00:00").tzinfo is UTC


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Fri, 31 Dec 9999 23:00:00 -0500", NOW),  # the far future: the time first seen
        ("31 Dec 9999 23:00 -0500", NOW),
        ("9999-12-31T23:00:00-05:00", NOW),
        ("Mon, 01 Jan 0001 00:00:00 +0100", None),  # the far past: no date
        ("0001-01-01T00:00:00+01:00", None),
    ],
)
def test_a_zone_shift_past_the_ends_of_time_is_no_error(
    written: str, expected: datetime | None
) -> None:
    assert parse_date(written, now=NOW) == expected
    assert parse_dates([written], now=NOW) == [expected]
