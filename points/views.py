"""Public pages of the certificates: the issuer's DID document, the revocation list, and the
verification page the certificate's QR code opens."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.api.throttling import CertificateVerifyThrottle, throttled_page
from points import selectors
from points.services import certificates

# Why a certificate could not be verified, in words for whoever scanned it (the codes are
# points.services.certificates.Verification's; a code missing here shows the general sentence).
UNVERIFIED_BECAUSE = {
    "malformed": _("Its signed data is damaged or incomplete."),
    "unknown_key": _("It was not signed with a key the city has published."),
    "bad_signature": _("Its signature does not match its contents: it may have been altered."),
    "wrong_type": _("Its signed data is not an activity certificate."),
    "unknown_certificate": _("The certificate its signed data names is not on record."),
}


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
    because = UNVERIFIED_BECAUSE.get(result.code or "") if result else None
    return render(
        request,
        "points/verify.html",
        {"serial": serial, "certificate": certificate, "result": result, "because": because},
        status=200 if certificate else 404,
    )
