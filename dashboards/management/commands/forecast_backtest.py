"""Backtest the forecasts on the month-end history in the database: cut at every past month end with a
year behind it, forecast 6 and 12 months ahead, compare with what happened and with "no change".

The results go into a JSON file under a label (the data the history was built from), so the
published-data run and the demo run sit side by side:

    python manage.py forecast_backtest --label published
    python manage.py forecast_backtest --label demo --output bench/results/forecast.json
"""

import datetime
import json
import platform
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from milestones import forecast
from milestones.models import NationalDataRule, Requirement
from trusts.models import Region

from ...selectors.common import target_infos
from ...selectors.outlook import national_rule_history, share_history

DEFAULT_OUTPUT = Path("bench/results/forecast.json")
# Where the published-data series start: the first DSPT edition shipped is 2020-21.
HISTORY_SINCE = datetime.date(2019, 1, 1)


def _series_result(history: list[tuple[datetime.date, int, int]]) -> dict:
    series = [(month, met / applicable) for month, met, applicable in history if applicable]
    results = forecast.backtest([share for _, share in series])
    verdict = forecast.forecast_verdict(results, shares=[share for _, share in series])
    return {
        "months": len(series),
        "from": series[0][0].isoformat() if series else None,
        "to": series[-1][0].isoformat() if series else None,
        "last_share_pct": round(100 * series[-1][1], 1) if series else None,
        "horizons": [
            {
                "months_ahead": result.horizon,
                "cuts": result.cuts,
                "forecast_mae_points": None if result.model_error is None else round(result.model_error, 2),
                "no_change_mae_points": None if result.naive_error is None else round(result.naive_error, 2),
                "beats_no_change": result.beats_naive,
            }
            for result in results
        ],
        "shown": verdict.shown,
        "why_not_shown": verdict.reason,
    }


class Command(BaseCommand):
    help = "Backtest the share-met forecasts on the stored month-end history; write the error table as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--label", required=True, help="What the history was built from, such as published or demo."
        )
        parser.add_argument("--description", default="", help="A sentence on how the history was built.")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, label: str, description: str, output: Path, **options):
        targets = target_infos()
        national = share_history()
        rows = []
        for target in targets:
            row = {"target": target.code, "title": target.title, "scope": "England"}
            row.update(_series_result(national.get(target.id, [])))
            rows.append(row)
        # The published data alone, requirement by requirement: a target's share also waits on
        # uploaded evidence, so these are the series that test the forecast on DSPT and EPR data.
        today = timezone.localdate()
        requirements = Requirement.objects.exclude(national_data_rule="").filter(target__in=[t.id for t in targets])
        for code, title, rule in requirements.values_list("code", "title", "national_data_rule").order_by(
            "target", "display_order"
        ):
            if rule == NationalDataRule.DMA_PILLAR_AT_LEAST:
                continue  # bound by an admin with a pillar and threshold; none by default
            history = national_rule_history(rule, since=HISTORY_SINCE, until=today)
            row = {"requirement": code, "title": title, "rule": rule, "scope": "England, published data only"}
            row.update(_series_result(history))
            rows.append(row)
        for region in Region.objects.order_by("name"):
            by_target = share_history(region)
            for target in targets:
                row = {"target": target.code, "title": target.title, "scope": region.name}
                row.update(_series_result(by_target.get(target.id, [])))
                rows.append(row)

        existing = json.loads(output.read_text()) if output.exists() else {}
        existing.update(
            {
                "method": {
                    "forecast": "damped trend (Holt, level weight "
                    f"{forecast.LEVEL_WEIGHT}, pace weight {forecast.PACE_WEIGHT}, damping {forecast.DAMPING})",
                    "no_change": "the last month-end share, held",
                    "cuts": f"every month end with at least {forecast.MIN_HISTORY} months of history before it",
                    "error": "mean absolute error in percentage points of trusts meeting the target",
                    "shown_when": f"the forecast's error is at most no change's at every horizon, over at least {forecast.MIN_CUTS} cuts",
                },
                "machine": {"python": platform.python_version(), "platform": platform.platform()},
            }
        )
        existing.setdefault("datasets", {})[label] = {
            "description": description,
            "run_on": timezone.localdate().isoformat(),
            "series": rows,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(existing, indent=2) + "\n")

        self.stdout.write(f"{label}: England (targets), and requirements on published data alone")
        self.stdout.write(f"{'series':<30} {'months':>6} {'h':>3} {'cuts':>5} {'forecast':>9} {'no change':>10}  shown")
        for row in rows:
            if not row["scope"].startswith("England"):
                continue
            name = row.get("target") or f"req {row['requirement']}"
            for horizon in row["horizons"]:
                self.stdout.write(
                    f"{name:<30} {row['months']:>6} {horizon['months_ahead']:>3} {horizon['cuts']:>5} "
                    f"{_points(horizon['forecast_mae_points']):>9} {_points(horizon['no_change_mae_points']):>10}  "
                    f"{'yes' if row['shown'] else 'no'}"
                )
        regional = [row for row in rows if not row["scope"].startswith("England")]
        shown = sum(1 for row in regional if row["shown"])
        self.stdout.write(
            f"Regions: {shown} of {len(regional)} regional forecasts are shown (no worse than no change, on a history that moved)."
        )
        self.stdout.write(f"Written to {output}")


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
