"""Who may use the staff console, as dependencies: a signed cookie session (the pages, and the
history API from them) or an API token (scripts); the CSRF checks on what a cookie session posts;
the sign-in rate limit.

The session cookie holds the username, a fingerprint of the password hash (a password change ends
every session) and the session's CSRF token, signed with the secret key; nothing is kept server-side.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.exceptions import HTTPException

from assistant.api.deps import client_address
from assistant.api.limits import RateLimiter
from assistant.config import Settings
from assistant.errors import TooManyRequests
from assistant.staff.accounts import StaffAccounts, StaffUser

SESSION_COOKIE = "nianbao_staff"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_PATH = "/staff/login"
HOME_PATH = "/staff"


@dataclass(frozen=True)
class StaffSession:
    user: StaffUser
    csrf: str | None  # None when signed by a token: no cookie, so nothing a foreign page could ride on


def accounts(request: Request) -> StaffAccounts:
    return StaffAccounts(request.app.state.history.engine)


def session_serializer(settings: Settings) -> URLSafeTimedSerializer:
    """Signs and checks session cookies; one per app (create_app)."""
    return URLSafeTimedSerializer(settings.secret(), salt="nianbao.staff.session")


def login_limiter(settings: Settings) -> RateLimiter:
    """Counts sign-in attempts per client; one per app (create_app)."""
    return RateLimiter(settings.staff_login_limit, settings.rate_limit_storage)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return request.app.state.staff_sessions


def _max_age(request: Request) -> int:
    return int(request.app.state.settings.staff_session_hours * 3600)


def start_session(request: Request, response: Response, user: StaffUser) -> None:
    cookie = _serializer(request).dumps({"u": user.username, "k": user.session_key, "c": secrets.token_urlsafe(32)})
    response.set_cookie(SESSION_COOKIE, cookie, max_age=_max_age(request), path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


def cookie_session(request: Request) -> StaffSession | None:
    """The session of a valid, unexpired cookie whose user still exists with the same password."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=_max_age(request))
    except BadSignature:  # forged, or expired (SignatureExpired is one)
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("u", "k", "c")):
        return None
    user = accounts(request).user(data["u"])
    if user is None or not hmac.compare_digest(user.session_key, data["k"]):
        return None
    return StaffSession(user, data["c"])


def refuse_disabled(user: StaffUser) -> None:
    if user.disabled:
        raise HTTPException(403, f"The staff account {user.username} is disabled; an administrator can enable it "
                                 f"with `nianbao staff enable {user.username}`.")


def _unauthorized(message: str, error: str | None = None) -> HTTPException:
    challenge = f'Bearer realm="nianbao", error="{error}"' if error else 'Bearer realm="nianbao"'
    return HTTPException(401, message, headers={"WWW-Authenticate": challenge})


def staff_api(request: Request) -> StaffSession:
    """A staff member by API token (Authorization: Bearer …) or by the console's cookie session; else 401."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("Send the token as `Authorization: Bearer <token>`.", "invalid_request")
        user = accounts(request).user_for_token(token.strip())
        if user is None:
            raise _unauthorized("The token is not valid or was revoked; make a new one with "
                                "`nianbao staff token USERNAME --name WHAT`.", "invalid_token")
        refuse_disabled(user)
        return StaffSession(user, None)
    session = cookie_session(request)
    if session is None:
        raise _unauthorized(f"Staff only: sign in at {LOGIN_PATH}, or send `Authorization: Bearer <token>`.")
    refuse_disabled(session.user)
    return session


def staff_page(request: Request) -> StaffSession:
    """A signed-in staff member; anyone else is sent to the sign-in page (303), to come back here after."""
    session = cookie_session(request)
    if session is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(303, f"Staff only: sign in at {LOGIN_PATH}.",
                            headers={"Location": f"{LOGIN_PATH}?{urlencode({'next': back})}"})
    refuse_disabled(session.user)
    return session


def same_origin(request: Request) -> None:
    """A state-changing request must come from a page of this site: its Origin (else Referer) names this host."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    if urlsplit(source).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "This request did not come from a page of the staff console; open the console and try again.")


async def csrf_checked(request: Request, session: Annotated[StaffSession, Depends(staff_page)]) -> StaffSession:
    """A cookie session's POST: from this site, carrying the session's CSRF token (form field or header)."""
    same_origin(request)
    sent = request.headers.get(CSRF_HEADER) or (await request.form()).get(CSRF_FIELD)
    if not isinstance(sent, str) or session.csrf is None or not hmac.compare_digest(sent, session.csrf):
        raise HTTPException(403, "The form has expired or did not come from the staff console; reload the page and try again.")
    return session


def check_login_rate(request: Request) -> None:
    """Count one sign-in attempt of the client (TooManyRequests past staff_login_limit): guessing stays slow."""
    try:
        request.app.state.login_limiter.check(f"staff-login:{client_address(request)}")
    except TooManyRequests as exc:
        raise TooManyRequests(f"Too many sign-in attempts from this address; try again in {exc.retry_after} s.",
                              retry_after=exc.retry_after) from None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of the console, never another site."""
    if (target and target.startswith(HOME_PATH) and "\\" not in target and target.isprintable()
            and not urlsplit(target).netloc):
        return target
    return HOME_PATH


StaffAPI = Annotated[StaffSession, Depends(staff_api)]
StaffPage = Annotated[StaffSession, Depends(staff_page)]
CsrfChecked = Annotated[StaffSession, Depends(csrf_checked)]
