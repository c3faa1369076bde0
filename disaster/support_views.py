"""The register of people who need help to evacuate (避難行動要支援者) for local supporters in the
staff site: 民生委員 and 自主防災組織 read the entries of their areas with a reason — those who
consented in normal times, everyone in a ward under a declared disaster — on a page or as a CSV to
print before the network goes; every entry shown is recorded as read (the same service as the
API). Nothing is shown by a plain visit: the list is the answer to the reason given."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.access import staff_page_context
from core.csv_download import csv_response
from core.errors import DomainError
from disaster import selectors, services
from disaster.api.permissions import IsLocalSupporter
from disaster.models import Disaster, SupportNeed
from disaster.views import local_time, staff_member
from volunteer.models import User

REASON_MAX = 1000
HEADER = ("氏名", "校区", "必要な支援", "メモ", "根拠", "閲覧日時")


def _page(
    request: HttpRequest, reader: User, entries: list[dict[str, Any]] | None, reason: str
) -> HttpResponse:
    context = staff_page_context(
        request,
        "避難行動要支援者名簿",
        disasters=_disasters_here(reader),
        entries=entries,
        reason=reason,
        reason_max=REASON_MAX,
    )
    response = render(request, "disaster/staff_support_register.html", context)
    response["Cache-Control"] = "no-store"  # the list is personal data: never kept by the browser
    return response


def _disasters_here(reader: User) -> list[Disaster]:
    """The declared disasters covering the reader's areas: while one is, its wards' entries are
    shown without consent."""
    areas = selectors.areas_of_role(staff=reader, roles=selectors.SUPPORT_ROLES)
    return list(selectors.disasters_active().filter(wards__in=areas).distinct().order_by("declared_at", "pk"))


def _rows(entries: list[selectors.SupportEntry], at: str) -> list[dict[str, Any]]:
    labels = dict(SupportNeed.choices)
    return [
        {
            "name": e.support.person.display_name or "（氏名なし）",
            "district": e.support.person.school_district.name if e.support.person.school_district else "",
            "needs": "、".join(str(labels.get(code, code)) for code in e.support.needs),
            "note": e.support.note,
            "ground": "本人の同意" if e.disaster_id is None else "災害時（同意によらない提供）",
            "at": at,
        }
        for e in entries
    ]


@login_required
@require_GET
def support_register(request: HttpRequest) -> HttpResponse:
    return _page(request, staff_member(request, IsLocalSupporter), None, "")


@login_required
@require_POST
def support_register_read(request: HttpRequest) -> HttpResponse:
    reader = staff_member(request, IsLocalSupporter)
    reason = request.POST.get("reason", "").strip()[: REASON_MAX + 1]
    if len(reason) > REASON_MAX:
        messages.error(request, f"理由は{REASON_MAX}文字以内で入力してください。")
        return _page(request, reader, None, reason[:REASON_MAX])
    try:
        entries = services.support_register_read(reader=reader, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, reader, None, reason)
    rows = _rows(entries, local_time(timezone.now()))
    if request.POST.get("format") == "csv":
        response = csv_response(
            filename=f"evacuation-support-{timezone.localtime():%Y%m%d-%H%M}.csv",
            header=HEADER,
            rows=([r["name"], r["district"], r["needs"], r["note"], r["ground"], r["at"]] for r in rows),
        )
        response["Cache-Control"] = "no-store"
        return response
    messages.info(request, f"{len(rows)}人を表示しました。閲覧は記録されています。")
    return _page(request, reader, rows, reason)
