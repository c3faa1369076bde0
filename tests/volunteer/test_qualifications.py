import datetime as dt

import pytest

from tests.factories import QualificationTypeFactory, UserFactory
from volunteer.models import QualificationType
from volunteer.services import qualification_grant

pytestmark = pytest.mark.django_db


def test_insurance_covers_the_fiscal_year_it_was_taken_in() -> None:
    insurance = QualificationTypeFactory(kind=QualificationType.Kind.INSURANCE)
    march = qualification_grant(
        user=UserFactory(), qualification_type=insurance, obtained_on=dt.date(2026, 3, 20), source="窓口"
    )
    assert march.expires_on == dt.date(2026, 3, 31)
    april = qualification_grant(
        user=UserFactory(), qualification_type=insurance, obtained_on=dt.date(2026, 4, 1), source="窓口"
    )
    assert april.expires_on == dt.date(2027, 3, 31)


def test_training_with_a_validity_expires_after_it_and_granting_twice_keeps_one() -> None:
    training = QualificationTypeFactory(valid_for_days=1095)
    user = UserFactory()
    first = qualification_grant(
        user=user, qualification_type=training, obtained_on=dt.date(2025, 6, 1), source="講習"
    )
    again = qualification_grant(
        user=user, qualification_type=training, obtained_on=dt.date(2025, 6, 1), source="講習"
    )
    assert first.pk == again.pk
    assert first.expires_on == dt.date(2028, 5, 31)
    assert user.qualifications.count() == 1
