"""Start-up check: the individual-number guard must cover the project's models. It finds them by
where their code lives (`core.privacy.project_models`); installed as a package somewhere that
reads as an installed library, the project would leave its own models unguarded without a word."""

from typing import Any

from django.core.checks import Error, register

from core.privacy import project_models


@register()
def individual_number_guard_covers_the_project(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if any(True for _model in project_models()):
        return []
    return [
        Error(
            "The individual-number guard finds no model of the project's own apps to guard.",
            hint="core.privacy.project_models looks for apps whose code lives under BASE_DIR and "
            "not in site-packages; check BASE_DIR and where the project is installed.",
            id="core.E001",
        )
    ]
