from typing import Any

import pytest
from django.core.management import call_command

from demo.city import city_load


@pytest.fixture
def demo_city(settings: Any) -> None:
    """The plan, the catalogues and a small demo city (500 residents)."""
    settings.DEMO_MODE = True
    call_command("plan_load", verbosity=0)
    call_command("catalogue_load", verbosity=0)
    city_load(password="demo-password-123", residents=500)
