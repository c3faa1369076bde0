import pytest

from tests.factories import ActivityCategoryFactory, SkillFactory
from volunteer.models import ActivityCategory


@pytest.fixture
def listening() -> ActivityCategory:
    return ActivityCategoryFactory(code="listening", name="傾聴")


@pytest.fixture
def catalogue(listening: ActivityCategory) -> None:
    ActivityCategoryFactory(code="watching-over", name="見守り")
    SkillFactory(code="listening", name="傾聴")
    SkillFactory(code="driving", name="運転")
