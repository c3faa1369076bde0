from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from volunteer.models import User


def signed_in_user(request: Request) -> User:
    """The request's person; views behind IsAuthenticated never see an anonymous one."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
