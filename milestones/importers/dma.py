"""Parse the Digital Maturity Assessment data file (XLSX, or a sheet of it as CSV) into plain
rows and errors with line numbers.

Two kinds of sheet are read, found by their headers whatever their names: the pillar summary
(one row per provider and care setting, the seven pillar scores of one year) and the
comparison between years (an overall score per year over the domains comparable between
them: "2025 Average", "2024 Average"). Providers are named, not coded: matching names to trusts
is the caller's, who knows the register. A code column, where a derived file has one, is kept.
"""

import datetime
import re
from dataclasses import dataclass, field

from ..models.sources import DMA_PILLARS
from .tables import FileRefused, Table, find_columns, labelled_date, normalise_header, parse_score, read_tables

PILLAR_ALIASES = {
    "dma_well_led": ("well led",),
    "dma_smart_foundations": ("ensure smart foundations", "smart foundations"),
    "dma_safe_practice": ("safe practice",),
    "dma_support_workforce": ("support workforce",),
    "dma_empower_people": ("empower people", "empower citizens"),
    "dma_improve_care": ("improve care",),
    "dma_healthy_populations": ("healthy populations",),
}
ALIASES = {
    "name": ("provider", "provider name", "trust", "trust name", "organisation name", "organisation"),
    "code": ("ods code", "ods code matched", "organisation code", "trust code", "code"),
    "care_setting": ("care setting", "setting"),
    **PILLAR_ALIASES,
}
REQUIRED = {"name": "a provider", "care_setting": "a care setting"}
YEAR_AVERAGE = re.compile(r"^(20\d{2}) (?:average|overall|score|overall score|average score)$")
YEAR_IN_TEXT = re.compile(r"\b(20\d{2})\b")
SCORES = (1.0, 5.0)


@dataclass(frozen=True)
class DmaRow:
    sheet: str
    line: int
    name: str
    code: str
    care_setting: str
    edition: str  # "2025"
    pillars: dict[str, float]  # SourceRow field name: score
    overall: float | None = None


@dataclass
class DmaParse:
    as_at: datetime.date | None = None  # the publication date on the workbook's introduction
    rows: list[DmaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    editions: set[str] = field(default_factory=set)
    rows_read: int = 0


def parse_dma(content: bytes, *, year: str | None = None) -> DmaParse:
    """Rows of every provider sheet in a DMA file; `year` ("2025") for a pillar sheet whose
    name gives none (a CSV). Raises FileRefused for a file with no provider sheet."""
    tables = read_tables(
        content,
        aliases=ALIASES,
        required=REQUIRED,
        accept=lambda sheet, header: _is_pillar_sheet(header) or bool(_year_columns(header)),
    )
    parse = DmaParse(as_at=labelled_date(content, "publication date"))
    for table in tables:
        parse.sheets.append(table.sheet)
        if _is_pillar_sheet(table.header):
            _pillar_rows(table, parse, year)
        else:
            _comparison_rows(table, parse)
    return parse


def _is_pillar_sheet(header: list[str]) -> bool:
    return any(column in find_columns(header, PILLAR_ALIASES) for column in PILLAR_ALIASES)


def _year_columns(header: list[str]) -> dict[str, int]:
    years = {}
    for index, name in enumerate(header):
        if match := YEAR_AVERAGE.match(normalise_header(name)):
            years[match.group(1)] = index
    return years


def _pillar_rows(table: Table, parse: DmaParse, year: str | None) -> None:
    sheet_year = YEAR_IN_TEXT.search(table.sheet)
    edition = sheet_year.group(1) if sheet_year else year
    if edition is None:
        raise FileRefused(
            f"No DMA year for the pillar scores{f' in sheet {table.sheet!r}' if table.sheet else ''}: "
            "give it with --year 2025."
        )
    parse.editions.add(edition)
    pillar_columns = [column for column, _ in DMA_PILLARS if column in table.columns]
    for line, cells in table.rows:
        name = table.cell(cells, "name")
        if not name:
            # Notes under the table ("Source: NHS England ...") have no provider: not data.
            continue
        parse.rows_read += 1
        raws = [(column, dict(DMA_PILLARS)[column], table.cell(cells, column)) for column in pillar_columns]
        pillars = _row_scores(parse, f"{_where(table, line)}: {name}", raws, kind="pillar")
        if pillars is None:
            continue
        parse.rows.append(
            DmaRow(
                table.sheet,
                line,
                name,
                table.cell(cells, "code").upper(),
                table.cell(cells, "care_setting"),
                edition,
                pillars,
            )
        )


def _comparison_rows(table: Table, parse: DmaParse) -> None:
    years = _year_columns(table.header)
    parse.editions.update(years)
    for line, cells in table.rows:
        name = table.cell(cells, "name")
        if not name:
            continue
        parse.rows_read += 1
        raws = [
            (edition, edition, cells[index] if index < len(cells) else "") for edition, index in sorted(years.items())
        ]
        scores = _row_scores(parse, f"{_where(table, line)}: {name}", raws, kind="overall")
        if scores is None:
            continue
        code, care_setting = table.cell(cells, "code").upper(), table.cell(cells, "care_setting")
        parse.rows.extend(
            DmaRow(table.sheet, line, name, code, care_setting, edition, {}, score) for edition, score in scores.items()
        )


def _row_scores(parse: DmaParse, where: str, raws: list[tuple[str, str, str]], *, kind: str) -> dict[str, float] | None:
    """One row's scores by key from (key, label, cell) triples; None, with the row's error reported,
    when a cell holds no score from 1 to 5 or no cell holds one."""
    scores, bad = {}, []
    for key, label, raw in raws:
        score = parse_score(raw) if raw else None
        if raw and (score is None or not SCORES[0] <= score <= SCORES[1]):
            bad.append(f"{label} {raw!r}")
        elif score is not None:
            scores[key] = score
    if bad:
        parse.errors.append(f"{where}: unreadable score {', '.join(bad)} (scores run 1 to 5).")
        return None
    if not scores:
        parse.errors.append(f"{where}: no {kind} scores.")
        return None
    return scores


def _where(table: Table, line: int) -> str:
    return f"Sheet {table.sheet!r} line {line}" if table.sheet else f"Line {line}"
