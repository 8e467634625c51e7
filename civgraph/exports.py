"""`GET /findings.csv?rule=…&regionCode=…&asOf=…`: every finding of a rule in a region as
CSV, streamed from one matching of the rule (pages would repeat it for each page), with
the same evidence the API gives; investigators and admins, within their region, audited."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from strawberry.relay import to_base64

from civgraph.auth.audit import AuditEntry
from civgraph.auth.principal import Principal
from civgraph.graph.changes import plain
from civgraph.graph.identifiers import DivisionCode, parse_division_code
from civgraph.graph.rules import Finding, Rule, every_finding
from civgraph.graph.rules.evidence import EvidenceLink
from civgraph.graph.scope import Scoped
from civgraph.resolvers.investigations import thresholds_of
from civgraph.schema.extensions import request_id
from civgraph.settings import Settings

HEADER = ("rule", "key", "regionCode", "confidence", "entities", "evidence", "sources",
          "detail", "withheld")  # fmt: skip


def end(link: EvidenceLink, source: bool) -> str:
    label, node = (link.source_label, link.source) if source else (link.target_label, link.target)
    return to_base64(label.value, node.id)


def evidence_text(link: EvidenceLink) -> str:
    period = f"{link.since or ''}..{link.until or ''}"
    record = link.record
    stated = (
        f" [{record.source}:{record.record_key} {record.match_key} {record.score}]"
        if record
        else ""
    )
    return f"{link.type} {end(link, True)}->{end(link, False)} {period}{stated}"


def row_of(finding: Finding) -> list[str]:
    entities = [f"{label.value}:{to_base64(label.value, node.id)}:{getattr(node, 'name', '')}"
                for label, node in finding.entities]  # fmt: skip
    withheld = finding.withheld
    return [
        finding.rule.value, finding.key, finding.region_code or "", f"{finding.confidence:g}",
        "; ".join(entities), "; ".join(evidence_text(link) for link in finding.links),
        "; ".join(f"{r.source}:{r.record_key}" for r in finding.records),
        json.dumps({k: plain(v) for k, v in finding.detail.items()}, ensure_ascii=False),
        json.dumps({"entities": withheld.entities, "links": withheld.links,
                    "regionCodes": withheld.region_codes}) if withheld else "",
    ]  # fmt: skip


def line(values: list[str] | tuple[str, ...]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()


def parse(query: Any, province: str) -> tuple[Rule, DivisionCode, date]:
    try:
        rule = Rule(query["rule"])
    except (KeyError, ValueError) as error:
        raise ValueError(f"rule must be one of {', '.join(Rule)}") from error
    region = parse_division_code(query.get("regionCode", province))
    as_of = date.fromisoformat(query["asOf"]) if "asOf" in query else date.today()
    return rule, region, as_of


async def findings_csv(request: Request) -> Response:
    principal: Principal = request.state.principal
    settings: Settings = request.app.state.settings
    try:
        rule, region, as_of = parse(request.query_params, settings.province)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, 400)
    scoped = Scoped(request.app.state.graph, principal.scope)  # this request's
    audit, rid = request.app.state.audit, request_id()

    async def body() -> AsyncIterator[str]:
        yield "\ufeff" + line(HEADER)  # a BOM: spreadsheet programs read the CSV as UTF-8
        sent, outcome = 0, "error"
        try:
            found = every_finding(scoped, rule, region.prefix, as_of, thresholds_of(settings))
            async for finding in found:
                sent += 1
                yield line(row_of(finding))
            outcome = "ok"
        finally:
            audit.record(AuditEntry.of(principal, "http", "/findings.csv",
                                       dict(request.query_params), results=sent,
                                       outcome=outcome, request_id=rid))  # fmt: skip

    name = f"{rule.value.lower()}-{region.value}-{as_of}.csv"
    return StreamingResponse(
        body(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
