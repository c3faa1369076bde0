"""The staff site's menu: every task page with the rule that opens it, so that each person sees
exactly the pages their role may use (a coordinator never meets the plan office's pages, an
organiser never the match queue). The rule is the page's own permission class, the one its view
asks through `core.access.role_required`, so the menu and the page cannot disagree."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from rest_framework.permissions import BasePermission

from core.access import admits
from disaster.api.permissions import IsCentreStaff, IsDisasterOffice, IsDisasterStaff, IsLocalSupporter
from events.api.permissions import IsEventStaff
from plan_registry.permissions import PlanOfficeOnly
from volunteer.api.permissions import IsCoordinator


@dataclass(frozen=True)
class StaffPage:
    url_name: str
    title: str
    description: str
    permission: type[BasePermission]


@dataclass(frozen=True)
class MenuEntry:
    url: str
    title: str
    description: str
    current: bool


STAFF_PAGES = (
    StaffPage(
        "staff-match-queue-page",
        "マッチング確認キュー",
        "担当地域の提案を確定・見送り（理由つき）、まとめて確定、CSV",
        IsCoordinator,
    ),
    StaffPage(
        "staff-newcomers-page",
        "地域デビュー",
        "最近はじめて参加した人と、その後参加していない人（声かけのために）",
        IsCoordinator,
    ),
    StaffPage(
        "staff-redemptions-page",
        "ポイント交換の承認",
        "申請された交換を本人確認済みの氏名で確認して承認・取消",
        IsCoordinator,
    ),
    StaffPage(
        "staff-conversions-page",
        "介護支援ポイントへの移行",
        "移行の申請を承認・却下",
        IsCoordinator,
    ),
    StaffPage(
        "staff-event-list-page",
        "イベントと受付",
        "申込数・キャンセル待ち、参加者の出席確認、会場の受付画面",
        IsEventStaff,
    ),
    StaffPage(
        "staff-disaster-list-page",
        "災害の宣言",
        "災害モードの宣言・延長・終了（パスワードを再入力）と、その判断の記録",
        IsDisasterOffice,
    ),
    StaffPage(
        "staff-centre-list-page",
        "災害ボランティアセンター",
        "センターの開設、受け入れ人数と呼び出し、受付と保険、依頼の受付と判断、班の編成と活動指示書・報告",
        IsCentreStaff,
    ),
    StaffPage(
        "staff-shelter-headcounts-page",
        "避難所の避難者数",
        "避難所ごと・市全体の避難者数（自動更新）、本部向けCSV、避難所の名簿と受付",
        IsDisasterStaff,
    ),
    StaffPage(
        "staff-support-register-page",
        "避難行動要支援者名簿",
        "担当地域の名簿（平常時は同意した人、災害時は全員）を理由を記録して表示・CSV",
        IsLocalSupporter,
    ),
    StaffPage(
        "plan-report-page",
        "成果指標の進捗",
        "年度ごとの値・基準値・目標・達成率とグラフ、印刷用PDF・CSV",
        PlanOfficeOnly,
    ),
    StaffPage(
        "plan-values-page",
        "指標の値の入力と集計",
        "調査などの値の入力（変更は理由つき）、年度の再集計と締め",
        PlanOfficeOnly,
    ),
)


def menu_for(request: HttpRequest) -> list[MenuEntry]:
    """The task pages this person may open, in the menu's order."""
    pages = [(reverse(page.url_name), page) for page in STAFF_PAGES if admits(request, page.permission)]
    # The current entry is the one whose address leads furthest into this page's (the disaster
    # pages nest: declarations at /staff/disaster-mode/, the centres below them).
    current = max((url for url, _ in pages if request.path.startswith(url)), key=len, default=None)
    return [MenuEntry(url, page.title, page.description, url == current) for url, page in pages]


def staff_menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu (worked out only when a page shows it) and the staff site's
    header for pages that do not come from the admin site's own views (the refusal page)."""
    if not request.path.startswith("/staff/") or not request.user.is_authenticated:
        return {}
    menu: Callable[[], list[MenuEntry]] = lambda: menu_for(request)  # noqa: E731 (called by the template)
    return {
        "staff_menu": menu,
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "has_permission": admin.site.has_permission(request),
    }
