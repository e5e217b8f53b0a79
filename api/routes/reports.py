"""`GET /v1/reports/automation?from=&to=`: this brand's automation report (`accounting.report`).

Tier one: the brand comes from the API key. `Accept: text/csv` returns the same figures as a
two-column CSV; `python -m accounting` prints the same table. An omitted `from` or `to` is that
end of the current UTC month (v1.1; v1 required both), by the service's clock.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.responses import Response

from accounting.report import AutomationReport, automation_report, month_of, range_problem, to_csv
from api.deps import Brand, Svc
from api.schemas import problems

router = APIRouter(tags=["reports"])


@router.get(
    "/v1/reports/automation",
    response_model=AutomationReport,
    responses={
        200: {"content": {"text/csv": {}}},
        422: {"description": "a bad range, with the reason"},
        **problems(401),
    },
)
async def get_automation_report(
    brand: Brand,
    svc: Svc,
    start: Annotated[
        date | None, Query(alias="from", description="first day, ISO date (UTC); default: this month's first")
    ] = None,
    end: Annotated[
        date | None,
        Query(alias="to", description="last day, ISO date (UTC), included; default: this month's last"),
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> AutomationReport | Response:
    """This brand's automation report; CSV when the client sends `Accept: text/csv`."""
    now = svc.clock()
    first, last = month_of(now)
    start, end = start or first, end or last
    problem = range_problem(start, end)
    if problem:
        raise HTTPException(422, problem)
    report = await automation_report(svc.ledger, brand, start, end, now, svc.costs)
    if accept and "text/csv" in accept:
        filename = f"automation-{brand.brand_id}-{start}-{end}.csv"
        return Response(
            to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return report
