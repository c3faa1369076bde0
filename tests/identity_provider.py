"""A real OpenID Connect provider on loopback for the identity tests, built with authlib's Flask
authorization server: the code flow with PKCE (S256 required) and nonce, RS256 ID tokens whose
keys it publishes, and a userinfo endpoint, served by werkzeug on 127.0.0.1 in a thread.

It stands in for the Digital Agency's デジタル認証アプリ: whoever `signs_in_next` is the person
who "holds their My Number card to the phone" at the authorization endpoint, which consents at
once. `misbehave` makes the next ID token wrong in one way a test needs (a bad signature, another
audience or issuer, already expired, or carrying a stale nonce).
"""

import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback, for the tests

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "kumamoto-volunteer"
CLIENT_SECRET = "loopback-secret"
ACR = "http://jpki.go.jp/acr/mynumber-card"
CALLBACK = "http://127.0.0.1:8000/identity/callback/"


@dataclass
class Cardholder:
    subject: str
    name: str
    birthdate: str  # YYYY-MM-DD


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post") if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    subject: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return ACR


class IdentityProvider:
    """Start with `start(redirect_uri)`; stop with `stop()`."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "loopback-1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(
            2048, parameters={"kid": "loopback-1", "use": "sig", "alg": "RS256"}
        )
        self.cardholders: dict[str, Cardholder] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, str] = {}  # access token → subject
        self.next_subject: str | None = None
        self.fault: str | None = None
        self.stale_nonce = ""
        self.issuer = ""
        self.client: Client | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # What tests do -----------------------------------------------------------------------
    def signs_in_next(self, cardholder: Cardholder) -> None:
        self.cardholders[cardholder.subject] = cardholder
        self.next_subject = cardholder.subject

    def misbehave(self, fault: str | None, stale_nonce: str = "") -> None:
        """ "bad_signature", "wrong_audience", "wrong_issuer", "expired", "stale_nonce" or None."""
        self.fault, self.stale_nonce = fault, stale_nonce

    # Serving ---------------------------------------------------------------------------------
    def start(self, redirect_uri: str) -> str:
        self.client = Client(CLIENT_ID, CLIENT_SECRET, redirect_uri)
        app = self._app()
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.issuer

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    def _app(self) -> Flask:
        app = Flask("loopback-oidc")
        server = AuthorizationServer(app, query_client=self._query_client, save_token=self._save_token)
        provider = self

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, req: Any) -> None:
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    subject=req.user.subject,
                    nonce=req.payload.data.get("nonce"),
                    code_challenge=req.payload.data.get("code_challenge"),
                    code_challenge_method=req.payload.data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> Cardholder:
                return provider.cardholders[authorization_code.subject]

        class IDToken(OpenIDCode):
            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> Any:
                return provider.other_key if provider.fault == "bad_signature" else provider.key

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                now = int(time.time())
                return {
                    "iss": "http://elsewhere.example"
                    if provider.fault == "wrong_issuer"
                    else provider.issuer,
                    "aud": ["someone-else"] if provider.fault == "wrong_audience" else [client.client_id],
                    "iat": now - (7200 if provider.fault == "expired" else 0),
                    "exp": now + (-3600 if provider.fault == "expired" else 600),
                }

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "loopback-1"}

            def get_authorization_code_claims(self, authorization_code: Code) -> dict[str, Any]:
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.fault == "stale_nonce":
                    claims["nonce"] = provider.stale_nonce
                return claims

            def generate_user_info(self, user: Cardholder, scope: str) -> UserInfo:
                return provider._user_info(user, scope)

        server.register_grant(CodeGrant, [CodeChallenge(required=True), IDToken(require_nonce=True)])

        @app.get("/.well-known/openid-configuration")
        def configuration() -> Any:
            return jsonify(
                issuer=provider.issuer,
                authorization_endpoint=f"{provider.issuer}/authorize",
                token_endpoint=f"{provider.issuer}/token",
                userinfo_endpoint=f"{provider.issuer}/userinfo",
                jwks_uri=f"{provider.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
                token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
                scopes_supported=["openid", "name", "birthdate", "address"],
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(KeySet([provider.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize() -> Any:
            cardholder = provider.cardholders.get(provider.next_subject or "")
            try:
                grant = server.get_consent_grant(end_user=cardholder)
            except OAuth2Error as refused:
                return jsonify(error=refused.error, error_description=refused.description), 400
            return server.create_authorization_response(grant_user=cardholder, grant=grant)

        @app.post("/token")
        def token() -> Any:
            return server.create_token_response()

        @app.get("/userinfo")
        def userinfo() -> Any:
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            subject = provider.tokens.get(bearer)
            if subject is None:
                return jsonify(error="invalid_token"), 401
            return jsonify(dict(provider._user_info(provider.cardholders[subject], "openid name birthdate")))

        return app

    def _query_client(self, client_id: str) -> Client | None:
        return self.client if self.client and client_id == self.client.client_id else None

    def _save_token(self, token: dict[str, Any], req: Any) -> None:
        self.tokens[token["access_token"]] = req.user.subject

    def _user_info(self, user: Cardholder, scope: str) -> UserInfo:
        info = UserInfo(sub=user.subject)
        if "name" in scope.split():
            info["name"] = user.name
        if "birthdate" in scope.split():
            info["birthdate"] = user.birthdate
        return info


KUMIKO = Cardholder(subject="jpki-0001", name="熊本 久美子", birthdate="1958-06-01")
