"""Public pages of the certificates: the issuer's DID document, the revocation list, and the
verification page the certificate's QR code opens."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.api.throttling import CertificateVerifyThrottle, throttled_page
from points import selectors
from points.services import certificates


@require_GET
def did_json(request: HttpRequest) -> JsonResponse:
    """did:web resolves to /.well-known/did.json: every public key ever used to sign, each under
    the identifiers it was published under (earlier hosts' as alsoKnownAs)."""
    return JsonResponse(certificates.did_document(), json_dumps_params={"ensure_ascii": False})


@require_GET
@throttled_page(CertificateVerifyThrottle)  # each answer is signed afresh
def status_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(certificates.status_list_token(), content_type="application/vc+jwt")


@require_GET
@throttled_page(CertificateVerifyThrottle)  # each answer checks a signature; serials are not to be guessed
def verify_page(request: HttpRequest, serial: str) -> HttpResponse:
    """What a reader of a printed certificate sees after scanning its QR code. It shows the
    certificate as issued and whether it still stands; the person's name is on the paper they
    hold, so it is not repeated here."""
    certificate = selectors.certificate_get_by_serial(serial=serial)
    result = certificates.certificate_verify(token=certificate.credential) if certificate else None
    return render(
        request,
        "points/verify.html",
        {"serial": serial, "certificate": certificate, "result": result},
        status=200 if certificate else 404,
    )
