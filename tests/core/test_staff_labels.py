"""The staff site (Django's admin) speaks Japanese: app and model names, columns, filters, actions,
fieldsets, field labels, help texts and choices; the catalogue behind them is complete and
compiled; and the public verification page says in words why a certificate does not verify."""

import ast
import datetime as dt
import gettext
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, help_text_for_field, label_for_field
from django.db import models
from django.test import Client, RequestFactory
from django.utils import timezone, translation

import tests.factories as factories
from core.privacy import project_models
from points.models import CertificateKeyPublication
from points.services import certificates
from points.views import UNVERIFIED_BECAUSE
from tests.factories import ActivityFactory, CertificateFactory, ParticipationFactory, UserFactory
from volunteer.models import User

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # kana and kanji
PROPER_NAMES = {"NPO", "iOS", "Android"}  # the same words in Japanese
# allauth's social accounts and sessions leave some fields without a translatable label (their
# verbose names are made from the fields' names): their pages are checked for their app's name only,
# and the sidebar's "User sessions" (allauth's model, named the same way) is let pass.
UNLABELLED_PACKAGES = {"socialaccount", "usersessions"}
UNLABELLED_WORDS = {"User sessions"}
NAMES_ON_THE_INDEX = {
    "利用者と団体",
    "マッチング",
    "計画と成果指標",
    "ポイントと証明書",
    "職員ページへのログイン",
}
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"

pytestmark = pytest.mark.django_db


def is_japanese(text: str) -> bool:
    return bool(JAPANESE.search(text)) or text in PROPER_NAMES


def registered() -> list[Any]:
    """The staff site's model pages but the unlabelled packages', as pytest parameters (the
    model, its ModelAdmin)."""
    return [
        pytest.param(model, model_admin, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in UNLABELLED_PACKAGES
    ]


def request_by(user: User) -> Any:
    request = RequestFactory().get("/staff/")
    request.user = user
    return request


@pytest.fixture
def superuser() -> User:
    return UserFactory(is_staff=True, is_superuser=True, email="admin@example.com")


# What the admin's own API says it will show


def form_labels(model_admin: Any, request: Any, obj: models.Model | None) -> Iterator[str]:
    """A form's fieldsets' names, and its labels and help texts as the admin renders them
    (editable or read-only): the form asked for as the change view asks for it."""
    fieldsets = model_admin.get_fieldsets(request, obj)
    if isinstance(model_admin, admin.ModelAdmin):
        fields = flatten_fieldsets(fieldsets)
        form = model_admin.get_form(request, obj, change=obj is not None, fields=fields)
    else:
        form = model_admin.get_formset(request, obj).form
    for name, options in fieldsets:
        yield from (str(text) for text in (name, options.get("description")) if text)
    for name in flatten_fieldsets(fieldsets):
        if name in form.base_fields:
            yield str(form.base_fields[name].label)
            help_text = form.base_fields[name].help_text
        else:
            yield str(label_for_field(name, model_admin.model, model_admin))
            help_text = help_text_for_field(name, model_admin.model)
        if help_text:
            yield str(help_text)


def admin_labels(model: type[models.Model], model_admin: Any, user: User) -> Iterator[str]:
    request = request_by(user)
    yield str(model._meta.app_config.verbose_name)
    yield str(model._meta.verbose_name_plural)
    for name in model_admin.get_list_display(request):
        if name != "action_checkbox":
            yield str(label_for_field(name, model, model_admin))
    yield from (str(spec.title) for spec in model_admin.get_changelist_instance(request).filter_specs)
    yield from (str(description) for value, description in model_admin.get_action_choices(request) if value)
    for obj in (None, model()):  # the add form, then the change form
        yield from form_labels(model_admin, request, obj)
        for inline in model_admin.get_inline_instances(request, obj):
            yield str(inline.verbose_name_plural)
            yield from form_labels(inline, request, obj)


@pytest.mark.parametrize(("model", "model_admin"), registered())
def test_every_label_around_a_models_rows_is_japanese(model: Any, model_admin: Any, superuser: User) -> None:
    with translation.override("ja"):
        labels = set(admin_labels(model, model_admin, superuser))

    assert {label for label in labels if not is_japanese(label)} == set()


def test_the_label_check_notices_english_columns_filters_actions_and_fieldsets(superuser: User) -> None:
    from volunteer.admin import UserAdmin

    class DemoFilter(admin.SimpleListFilter):
        title, parameter_name = "demo", "demo"

        def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
            return [("yes", "Yes")]

        def queryset(self, request: Any, queryset: Any) -> Any:
            return queryset

    @admin.action(description="Forget the selected people")
    def forget(model_admin: Any, request: Any, queryset: Any) -> None: ...

    class Untranslated(UserAdmin):
        list_display = [*UserAdmin.list_display, "pk"]
        list_filter = [*UserAdmin.list_filter, DemoFilter]
        actions = [forget]
        fieldsets = (*UserAdmin.fieldsets, ("Extra", {"fields": ["notification_preferences"]}))

    with translation.override("ja"):
        labels = set(admin_labels(User, Untranslated(User, admin.site), superuser))

    assert {label for label in labels if not is_japanese(label)} == {
        "Pk",
        "demo",
        "Forget the selected people",
        "Extra",
    }


def test_every_app_of_the_staff_site_has_a_japanese_name() -> None:
    with translation.override("ja"):
        names = {str(model._meta.app_config.verbose_name) for model in admin.site._registry}

    assert {name for name in names if not is_japanese(name)} == set()
    assert names >= NAMES_ON_THE_INDEX


def test_every_field_and_choice_of_the_projects_models_is_labelled_in_japanese() -> None:
    """Beyond today's pages: a model put on the staff site tomorrow shows Japanese too."""
    untranslated = []
    with translation.override("ja"):
        for model in project_models():
            texts = [model._meta.app_config.verbose_name, model._meta.verbose_name]
            for field in model._meta.get_fields():
                if field.auto_created or not (field.concrete or field.many_to_many):
                    continue
                texts += [field.verbose_name, *([field.help_text] if field.help_text else [])]
                texts += [label for _, label in field.flatchoices]
            untranslated += [
                f"{model._meta.label}: {text}" for text in map(str, texts) if not is_japanese(text)
            ]

    assert untranslated == []


# What the pages show


class StaffPageWords(HTMLParser):
    """The words of a staff page that are labels, not data: the index's and the sidebar's app and
    model names, column headers, filter titles, actions, fieldset headings, labels and help."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str]]] = []
        self.words: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        if tag not in self.VOID:
            self.open.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if any(name == tag for name, _ in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text += data

    def _flush(self) -> None:
        text, self.text = " ".join(self.text.split()).rstrip(":"), ""
        if text and text != "---------" and self._in_a_label():
            self.words.append(text)

    def _in_a_label(self) -> bool:
        if any("sortoptions" in attrs.get("class", "").split() for _, attrs in self.open):
            return False  # a sorted column's priority, a number
        for depth, (tag, attrs) in enumerate(self.open):
            classes, outer = attrs.get("class", "").split(), self.open[:depth]
            if tag in ("caption", "label", "summary") or (tag == "div" and "help" in classes):
                return True
            if tag == "h2" and "fieldset-heading" in classes:
                return True
            if tag == "th" and any(name == "thead" for name, _ in outer):
                return True  # a list's or an inline's column header
            if tag == "th" and any(_is_an_apps_module(a) for _, a in outer):
                return True  # a model's name on the index or in the sidebar
            if tag == "option" and any(t == "select" and a.get("name") == "action" for t, a in outer):
                return True
        return False


def _is_an_apps_module(attrs: dict[str, str]) -> bool:
    classes = attrs.get("class", "").split()
    return "module" in classes and any(name.startswith("app-") for name in classes)


def page_words(html: str) -> list[str]:
    parser = StaffPageWords()
    parser.feed(html)
    return parser.words


def test_the_page_reader_reads_labels_and_leaves_data_alone() -> None:
    html = (
        '<div class="app-volunteer module"><table><caption><a>People</a></caption>'
        '<tr><th scope="row"><a href="user/">Persons</a></th><td>Add</td></tr></table></div>'
        '<table id="result_list"><thead><tr><th><div class="text"><a href="?o=1">Status</a></div></th>'
        '</tr></thead><tbody><tr><th><a href="1/">Some data</a></th></tr></tbody></table>'
        '<nav id="changelist-filter"><details><summary> status で絞り込む </summary></details></nav>'
        '<select name="action"><option value="">---------</option><option value="a">Approve</option>'
        '</select><fieldset><h2 class="fieldset-heading">Profile</h2><label for="x">Display name:'
        '</label><input id="x"><div class="help"><div>For the demo.</div></div><div class="readonly">'
        "data</div></fieldset>"
    )

    assert page_words(html) == [
        "People",
        "Persons",
        "Status",
        "status で絞り込む",
        "Approve",
        "Profile",
        "Display name",
        "For the demo.",
    ]


def a_row_of(model: type[models.Model]) -> models.Model | None:
    for value in vars(factories).values():
        if getattr(getattr(value, "_meta", None), "model", None) is model:
            return value()
    return None


@pytest.fixture
def staff_browser(superuser: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(superuser)
    return client


def english_on(html: str) -> list[str]:
    return [word for word in page_words(html) if not is_japanese(word) and word not in UNLABELLED_WORDS]


def test_the_index_and_its_sidebar_name_every_app_and_model_in_japanese(staff_browser: Client) -> None:
    index = staff_browser.get("/staff/")
    html = index.content.decode()

    assert index.status_code == 200
    assert set(page_words(html)) >= NAMES_ON_THE_INDEX | {"活動証明書", "してほしい（依頼）", "ログイン試行"}
    assert english_on(html) == []


@pytest.mark.parametrize(("model", "model_admin"), registered())
def test_a_models_list_and_forms_show_japanese_labels(
    model: Any, model_admin: Any, staff_browser: Client, superuser: User
) -> None:
    row = a_row_of(model)
    base = f"/staff/{model._meta.app_label}/{model._meta.model_name}/"
    pages = [base]
    pages += [f"{base}add/"] if model_admin.has_add_permission(request_by(superuser)) else []
    pages += [f"{base}{row.pk}/change/"] if row is not None else []

    answers, english, filtered_by_a_code = {}, {}, {}
    for url in pages:
        response = staff_browser.get(url)
        html = response.content.decode()
        answers[url], english[url] = response.status_code, english_on(html)
        filtered_by_a_code[url] = re.findall(r"[A-Za-z_]+\s*で絞り込む", html)

    assert answers == dict.fromkeys(pages, 200)
    assert english == {url: [] for url in pages}
    assert filtered_by_a_code == {url: [] for url in pages}
    if row is not None:  # the list shows a row, so its columns' headers were on the page
        assert any(is_japanese(word) for word in page_words(staff_browser.get(base).content.decode()))


# The catalogue


def catalogue_entries(text: str) -> list[dict[str, Any]]:
    """The .po file's entries, without its header and its obsolete entries (#~): each with its
    flags and its msgctxt, msgid, msgid_plural, msgstr or msgstr[n], by those names."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": set()}
    keyword = ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry = {"flags": set()}
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue  # comments, references, previous msgids (#|) and obsolete entries (#~)
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            keyword, _, quoted = line.partition(" ")
            entry[keyword] = ast.literal_eval(quoted)
    return entries


def translations(entry: dict[str, Any]) -> dict[Any, str]:
    """The msgstr, or each msgstr[n] of a plural entry, by its key in a compiled catalogue."""
    msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
    if "msgid_plural" not in entry:
        return {msgid: entry["msgstr"]}
    return {(msgid, int(key[7:-1])): value for key, value in entry.items() if key.startswith("msgstr[")}


def test_the_catalogue_reader_sees_untranslated_fuzzy_and_plural_entries() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'
        'msgid "done"\nmsgstr "済み"\n\n'
        '#, fuzzy, python-format\nmsgid "guessed"\nmsgstr "推測"\n\n'
        'msgid ""\n"long "\n"one"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "%(n)d item"\nmsgid_plural "%(n)d items"\nmsgstr[0] "%(n)d 件"\n\n'
        '#~ msgid "gone"\n#~ msgstr ""\n'
    )

    entries = catalogue_entries(text)

    assert [(translations(entry), "fuzzy" in entry["flags"]) for entry in entries] == [
        ({"done": "済み"}, False),
        ({"guessed": "推測"}, True),
        ({"long one": ""}, False),
        ({("menu\x04%(n)d item", 0): "%(n)d 件"}, False),
    ]


def test_the_catalogue_has_no_untranslated_or_fuzzy_entry_and_is_compiled() -> None:
    entries = catalogue_entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]

    untranslated = [entry["msgid"] for entry in entries if not all(translations(entry).values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    stale = [
        key for entry in entries for key, value in translations(entry).items() if compiled.get(key) != value
    ]

    assert len(entries) > 500
    assert (untranslated, fuzzy, stale) == ([], [], [])


# The public verification page


@pytest.mark.parametrize("code", sorted(UNVERIFIED_BECAUSE))
def test_the_verification_page_says_in_japanese_why_a_certificate_does_not_verify(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificate = CertificateFactory()
    refused = certificates.Verification(False, code, None, None)
    monkeypatch.setattr(certificates, "certificate_verify", lambda token: refused)

    page = Client(HTTP_ACCEPT_LANGUAGE="ja").get(f"/verify/{certificate.serial}/").content.decode()

    with translation.override("ja"):
        because = str(UNVERIFIED_BECAUSE[code])
    assert is_japanese(because)
    assert "この証明書を確認できませんでした。" in page
    assert because in page
    assert code not in page


def test_a_certificate_signed_with_an_unpublished_key_is_explained_not_coded(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://volunteer.example.jp"
    person = UserFactory(display_name="熊本 花子")
    starts_at = timezone.now() - dt.timedelta(days=3)
    activity = ActivityFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))
    participation = ParticipationFactory(
        activity=activity, person=person, minutes=120, verified_at=timezone.now()
    )
    certificate = certificates.certificate_issue(person=person, participation=participation)
    # Its key was never published under the identifier it names (as before migration 0006), and
    # the site has moved since, so no record of it remains.
    CertificateKeyPublication.objects.all().delete()
    settings.PUBLIC_BASE_URL = "https://volunteer.city.kumamoto.example"

    page = Client(HTTP_ACCEPT_LANGUAGE="ja").get(f"/verify/{certificate.serial}/").content.decode()

    assert certificates.certificate_verify(token=certificate.credential).code == "unknown_key"
    assert "市が公開している署名鍵で署名されていません。" in page
    assert "unknown_key" not in page
