"""An unseen national DSPT snapshot: 50,000 organisations of every kind, another layout, as CSV
and as XLSX, imported with its year given. Counts must come out exactly; nothing silently
dropped. (Its speed is measured by bench/import_dspt.py, not here.)"""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from milestones.models import DsptAssessment, SourceSnapshot
from tests.milestones.dspt_bulk import YEAR, as_csv, as_xlsx, synthetic_dspt
from trusts.models import Trust

YEAR_START = datetime.date(2024 - 1, 4, 1)


@pytest.mark.parametrize(
    ("suffix", "write", "where"), [("csv", as_csv, "Line"), ("xlsx", as_xlsx, "Sheet 'DSPT 2023-24' line")]
)
def test_a_national_snapshot_of_every_kind_of_organisation_imports_with_exact_counts(
    register, tmp_path, suffix, write, where
):
    open_then = Trust.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=YEAR_START), opened_on__lte=YEAR_START
    )
    records, expected = synthetic_dspt(sorted(open_then.values_list("ods_code", flat=True)))
    path = tmp_path / f"dspt_{YEAR}.{suffix}"
    path.write_bytes(write(records))
    out, err = StringIO(), StringIO()

    call_command("import_dspt", str(path), "--year", YEAR, "--as-at", "2024-07-31", stdout=out, stderr=err)

    loaded = sum(expected.statuses.values())
    assert expected.rows == 50_000 and loaded == open_then.count() > 200
    stored = Counter(DsptAssessment.objects.filter(year=YEAR).values_list("status", flat=True))
    assert stored == expected.statuses
    snapshot = SourceSnapshot.objects.get()
    assert (snapshot.rows_read, snapshot.rows_loaded, snapshot.edition) == (50_000, loaded, YEAR)
    # Nothing silently dropped: every row is loaded, skipped by kind, unmatched or an error.
    skipped = sum(expected.not_trusts.values())
    assert loaded + skipped + len(expected.unmatched_lines) + len(expected.error_lines) == 50_000
    output = out.getvalue()
    by_kind = ", ".join(
        f"{kind} {count}" for kind, count in sorted(expected.not_trusts.items(), key=lambda i: (-i[1], i[0]))
    )
    assert f"{skipped} rows for organisations that are not NHS trusts (skipped): {by_kind}." in output
    assert f"{len(expected.unmatched_lines)} rows for trusts not matched in the register (not loaded):" in output
    for line in expected.unmatched_lines:
        assert f"  {where} {line}: " in output
    errors = err.getvalue().splitlines()
    assert sorted(int(e.split(":")[0].removeprefix("Line ")) for e in errors) == sorted(expected.error_lines)
    # One summary line per kind of outcome, not a line per skipped organisation.
    assert len(output.splitlines()) < 30
