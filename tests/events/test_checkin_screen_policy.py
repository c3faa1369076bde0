"""The venue's check-in screen works under the Content-Security-Policy: its QR code is inline SVG
(no script), it refreshes through a script of the site's own (no meta refresh, which moves a
screen reader's focus), and it carries no inline script the policy would refuse."""

import re

import pytest
from django.test import Client

from events.models import Activity
from volunteer.models import User

pytestmark = pytest.mark.django_db


def test_the_checkin_screen_is_sent_with_the_policy_and_needs_no_script(
    client: Client, organiser: User, running_activity: Activity
) -> None:
    client.force_login(organiser)

    page = client.get(f"/staff/events/{running_activity.pk}/checkin/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert re.search(r'<div id="checkin-code"[^>]*><svg', html)
    assert 'http-equiv="refresh"' not in html
    assert re.search(r'<script src="/static/events/checkin_screen\.js"', html)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", html) == []
