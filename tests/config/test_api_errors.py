"""A model's own refusal at save (the individual-number guard) reaches the app as a 400 in the
one error shape, naming the field, rather than a server error."""

from django.core.exceptions import ValidationError

from config.api.errors import exception_handler


def test_a_models_refusal_is_a_400_naming_the_field() -> None:
    response = exception_handler(
        ValidationError({"note": ["入力できません。"]}, code="individual_number"), {}
    )

    assert response is not None
    assert response.status_code == 400
    assert response.data["code"] == "invalid_input"
    assert response.data["errors"] == [{"field": "note", "code": "invalid", "message": "入力できません。"}]
