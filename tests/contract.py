"""The app contract, enforced: every response the suite receives from the API is checked against
the schema the server serves at /api/schema/ (the one the app team generates its client from).

`check(method, path, response)` fails the test when the operation does not document the status
code, the content type is not one the operation declares, or the JSON body breaks the response's
schema (OpenAPI 3.0 semantics: nullable, readOnly; checked by openapi-schema-validator). An error
body must carry a code the operation lists for that status. A path or a method no operation
answers must answer an error in the error shape.

tests/conftest.py wraps Django's test client with it, so a drift between a view and its schema
fails whichever test meets it first. CONTRACT_REPORT=<file> appends the breaches to the file
instead of failing, to see them all at once.
"""

import functools
import json
import os
import re
from typing import Any

from openapi_schema_validator import OAS30ReadValidator

API_PREFIX = "/api/v1/"
ERROR_SHAPE = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}


class ContractBreach(AssertionError):
    """A response the served schema does not describe."""


@functools.cache
def served_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    # Round-trip through JSON as the server does: lazy translations become strings.
    return dict(_nullable_compositions(json.loads(json.dumps(schema, default=str))))


def _nullable_compositions(node: Any) -> Any:
    """`nullable: true` beside `allOf` (drf-spectacular's nullable nested object) read as the
    app's generators and schemathesis read it, "this or null", which a strict OpenAPI 3.0.3
    validator would not (there nullable only widens a `type` in the same object)."""
    if isinstance(node, list):
        return [_nullable_compositions(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_compositions(value) for key, value in node.items()}
    if node.get("nullable") is True and "type" not in node and ("allOf" in node or "$ref" in node):
        inner = {key: value for key, value in node.items() if key != "nullable"}
        return {"anyOf": [inner, {"enum": [None]}]}
    return node


@functools.cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    """Each documented path as a pattern, the literal ones first (`/me/consents/` before `/me/{x}/`)."""
    routes = []
    for template in served_schema()["paths"]:
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", pattern)
        routes.append((re.compile(f"^{pattern}$"), template))
    return sorted(routes, key=lambda route: route[1].count("{"))


def operation_for(path: str) -> str | None:
    for pattern, template in _routes():
        if pattern.match(path):
            return template
    return None


def check(method: str, path: str, response: Any) -> None:
    if not path.startswith(API_PREFIX):
        return
    try:
        _check(method.lower(), path, response)
    except ContractBreach as breach:
        report = os.environ.get("CONTRACT_REPORT")
        if not report:
            raise
        with open(report, "a", encoding="utf-8") as file:
            file.write(f"{breach}\n")


def _check(method: str, path: str, response: Any) -> None:
    status = response.status_code
    template = operation_for(path)
    where = f"{method.upper()} {template or path} → {status}"
    if template is None or method not in served_schema()["paths"][template]:
        if method in ("head", "options") and template is not None:
            return
        # 404 or 405, or a refusal before routing (a body's charset, depth, a throttle, a test's
        # own failing view): always the error shape.
        if status < 400 or not _is_error_shape(response):
            raise ContractBreach(f"{where}: an undocumented path or method must answer the error shape")
        return
    operation = served_schema()["paths"][template][method]
    responses = operation["responses"]
    documented = responses.get(str(status))
    if documented is None:
        raise ContractBreach(f"{where}: status {status} is not documented (documented: {sorted(responses)})")
    content = documented.get("content")
    if not content:
        if _body(response):
            raise ContractBreach(f"{where}: a body where the schema documents none")
        return
    media_type = response.get("Content-Type", "").split(";")[0].strip()
    if media_type not in content:
        raise ContractBreach(f"{where}: content type {media_type!r} is not documented ({sorted(content)})")
    if media_type != "application/json":
        return
    try:
        body = json.loads(_body(response) or b"null")
    except ValueError as error:
        raise ContractBreach(f"{where}: the body is not JSON ({error})") from error
    schema = content[media_type].get("schema")
    if schema is None:
        return
    validator = OAS30ReadValidator({**schema, "components": served_schema().get("components", {})})
    problems = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if problems:
        details = "; ".join(
            f"at {'/'.join(str(part) for part in problem.absolute_path) or '(body)'}: {problem.message[:300]}"
            for problem in problems[:3]
        )
        raise ContractBreach(f"{where}: the body breaks the schema: {details}")


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b""
    return bytes(response.content)


def _is_error_shape(response: Any) -> bool:
    try:
        body = json.loads(_body(response))
    except ValueError:
        return False
    return not list(OAS30ReadValidator(ERROR_SHAPE).iter_errors(body))
