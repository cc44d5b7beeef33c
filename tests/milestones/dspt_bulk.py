"""A SYNTHETIC national DSPT snapshot in the shape the portal's organisation search exports:
tens of thousands of organisations of every kind, a few hundred of them trusts, with the
counts an import of it must report. Used by the import test and bench/import_dspt.py.

Only the trust codes are real (handed in from the register); every other code is made up in
the shape of its kind and every status is random: nothing here is presented as real data.
"""

import csv
import datetime
import io
import random
from collections import Counter
from dataclasses import dataclass, field

import openpyxl

YEAR = "2023-24"
# Each wording with and without its year, as the DSPT has published them (the year given with --year).
STATUS_FORMS = {
    "exceeded": ["Standards Exceeded", "23/24 Standards Exceeded", "Standards Exceeded (23-24)"],
    "met": ["Standards Met", "23/24 Standards Met", "Standards Met (23-24)"],
    "approaching": ["Approaching Standards", "23/24 Approaching Standards"],
    "not_met": ["Standards Not Met", "23/24 Standards Not Met"],
    "not_published": ["Not Published"],
    "plan_agreed": ["Standards Not Fully Met (Plan Agreed)"],
    "entry_level": ["Entry Level", "Entry Level (23-24)"],
}
# Other kinds of organisation, with the share of the file each takes and a code in its shape
# (none matches an ODS trust code: 3 characters from R or T, or the new 5-character codes).
KINDS = [
    ("GP", 0.36, lambda n: f"{'ABCDEFGHJKLMNP'[n % 14]}{81000 + n % 9000}"),
    ("Pharmacy & Optometry", 0.24, lambda n: f"F{'ABCDEFGHJKLMN'[n % 13]}{'ABCDEFGHJKLMN'[n // 13 % 13]}{n % 100:02d}"),
    ("Social Care", 0.2, lambda n: f"V{n % 100000:05d}"),
    ("Dental", 0.1, lambda n: f"V{'0123456789'[n % 10]}{n % 10000:04d}X"),
    ("Company", 0.05, lambda n: f"8{'ABCDEFGHJK'[n % 10]}{n % 1000:03d}"),
    ("Independent Sector Provider", 0.03, lambda n: f"N{'ABCDEFGHJK'[n % 10]}{n % 10}"),
    ("Charity", 0.015, lambda n: f"X{n % 10000:04d}"),
    ("CCG / Integrated Care Board (ICB)", 0.005, lambda n: f"{n % 100:02d}{'ABCDEFGHJK'[n % 10]}"),
]
UNKNOWN_TRUSTS = ["T9Y", "T9Z", "RQF", "RT4"]  # trust-shaped codes the register lacks (RQF, RT4: Welsh)
BAD_STATUSES = ["Standards Mostly Met", "#N/A", "TBC"]
CSV_HEADER = {
    "code": "Organisation Code",
    "name": "Organisation Name",
    "kind": "Primary Sector",
    "status": "Status",
    "date": "Date Of Publication",
    "other": "Postcode",
}
XLSX_HEADER = {
    "code": "ODS_CODE",
    "name": "org name",
    "kind": "SECTOR",
    "status": "  DSPT STATUS ",
    "date": "Publication.Date",
    "other": "Notes",
}


@dataclass
class Expected:
    rows: int = 0
    statuses: Counter = field(default_factory=Counter)  # DsptStatus value: trusts loaded
    not_trusts: Counter = field(default_factory=Counter)  # kind: rows skipped
    unmatched_lines: list[int] = field(default_factory=list)
    error_lines: list[int] = field(default_factory=list)


def synthetic_dspt(trust_codes: list[str], *, total: int = 50_000, seed: int = 2324) -> tuple[list[dict], Expected]:
    """`total` rows in random order: each of `trust_codes` once, the unknown trusts, a few bad
    statuses, and organisations of every other kind for the rest. Line numbers count from 2."""
    rng = random.Random(seed)
    records: list[tuple[dict, str, str]] = []  # (record, outcome, detail)
    for code in trust_codes:
        status = rng.choice(list(STATUS_FORMS))
        records.append((_record(rng, code, "NHS Trust", rng.choice(STATUS_FORMS[status])), "trust", status))
    for code in UNKNOWN_TRUSTS:
        records.append((_record(rng, code, "NHS Trust", "Standards Met"), "unmatched", ""))
    for index, wording in enumerate(BAD_STATUSES * 3):
        code = KINDS[0][2](90000 + index)
        records.append((_record(rng, code, "GP", wording), "error", ""))
    others = total - len(records)
    serial = 0
    for position, (kind, share, code_of) in enumerate(KINDS):
        count = (
            others - sum(round(others * s) for _, s, _ in KINDS[:-1])
            if position == len(KINDS) - 1
            else round(others * share)
        )
        for _ in range(count):
            serial += 1
            status = rng.choice(list(STATUS_FORMS))
            records.append((_record(rng, code_of(serial), kind, rng.choice(STATUS_FORMS[status])), "kind", kind))
    rng.shuffle(records)
    expected = Expected(rows=len(records))
    for line, (_, outcome, detail) in enumerate(records, start=2):
        if outcome == "trust":
            expected.statuses[detail] += 1
        elif outcome == "kind":
            expected.not_trusts[detail] += 1
        elif outcome == "unmatched":
            expected.unmatched_lines.append(line)
        else:
            expected.error_lines.append(line)
    return [record for record, _, _ in records], expected


def _record(rng: random.Random, code: str, kind: str, status: str) -> dict:
    published = datetime.date(2024, 6, 30) - datetime.timedelta(days=rng.randrange(90))
    return {
        "code": code,
        "name": f"SYNTHETIC ORGANISATION {code}",
        "kind": kind,
        "status": status,
        "date": "" if status == "Not Published" else published,
        "other": "",
    }


def as_csv(records: list[dict], *, seed: int = 1) -> bytes:
    """CSV with the portal's header names, columns in a shuffled order."""
    columns = list(CSV_HEADER)
    random.Random(seed).shuffle(columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([CSV_HEADER[c] for c in columns])
    for record in records:
        writer.writerow(
            [f"{record[c]:%d/%m/%Y}" if isinstance(record[c], datetime.date) else record[c] for c in columns]
        )
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(records: list[dict], *, seed: int = 2) -> bytes:
    """A workbook with other spellings of the headers, another column order and real date cells."""
    columns = list(XLSX_HEADER)
    random.Random(seed).shuffle(columns)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("DSPT 2023-24")
    sheet.append([XLSX_HEADER[c] for c in columns])
    for record in records:
        sheet.append([record[c] if record[c] != "" else None for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
