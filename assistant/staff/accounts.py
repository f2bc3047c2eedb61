"""Staff accounts (Argon2 password hashes, through pwdlib) and API tokens for scripts (only their
SHA-256 is kept), both in the history database."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from pwdlib import PasswordHash
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.history.model import api_tokens, staff_users
from assistant.history.store import utcnow

MIN_PASSWORD_CHARS = 10
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
TOKEN_PREFIX = "nbk_"  # says what a leaked string is, for secret scanners and for people


class AccountError(ValueError):
    """A staff account or token could not be changed; the message says why and what to do."""


@dataclass(frozen=True)
class StaffUser:
    username: str
    disabled: bool
    # Changes with the password: a session signed before a password change no longer counts.
    session_key: str


@dataclass(frozen=True)
class TokenInfo:
    id: str
    username: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()  # Argon2id


@cache
def _dummy_hash() -> str:
    # Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
    return _hasher().hash(secrets.token_hex(16))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row) -> StaffUser:  # type: ignore[no-untyped-def]
    return StaffUser(row.username, row.disabled, hashlib.sha256(row.password_hash.encode()).hexdigest()[:16])


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"The password is too short: use at least {MIN_PASSWORD_CHARS} characters.")


class StaffAccounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_user(self, username: str, password: str) -> None:
        if not USERNAME.match(username):
            raise AccountError("A username is 2–64 letters, digits or . _ @ - (e.g. zhang.san).")
        check_password(password)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(staff_users).values(
                    username=username, password_hash=_hasher().hash(password), created_at=utcnow(), disabled=False))
        except IntegrityError as exc:
            raise AccountError(f"{username} already exists; change the password with `nianbao staff passwd {username}`.") from exc

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        with self.engine.begin() as conn:
            result = conn.execute(update(staff_users).where(staff_users.c.username == username)
                                  .values(password_hash=_hasher().hash(password)))
        if not result.rowcount:
            raise AccountError(f"There is no staff user {username}; add one with `nianbao staff add {username}`.")

    def set_disabled(self, username: str, disabled: bool) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(update(staff_users).where(staff_users.c.username == username).values(disabled=disabled))
        if not result.rowcount:
            raise AccountError(f"There is no staff user {username}; `nianbao staff list` shows them.")

    def user(self, username: str) -> StaffUser | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(staff_users).where(staff_users.c.username == username)).first()
        return _user(row) if row else None

    def users(self) -> list[StaffUser]:
        with self.engine.connect() as conn:
            return [_user(row) for row in conn.execute(select(staff_users).order_by(staff_users.c.username))]

    def authenticate(self, username: str, password: str) -> StaffUser | None:
        """The user whose password this is (disabled ones too: the caller refuses them), else None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(staff_users).where(staff_users.c.username == username)).first()
        if row is None:
            _hasher().verify(password, _dummy_hash())
            return None
        valid, rehashed = _hasher().verify_and_update(password, row.password_hash)
        if not valid:
            return None
        if rehashed:  # the recommended parameters changed since this hash was made
            with self.engine.begin() as conn:
                conn.execute(update(staff_users).where(staff_users.c.username == username).values(password_hash=rehashed))
            with self.engine.connect() as conn:
                row = conn.execute(select(staff_users).where(staff_users.c.username == username)).first()
        return _user(row)

    def create_token(self, username: str, name: str) -> tuple[str, str]:
        """A new token for ``username``: (its id, the token). The token is not kept and cannot be shown again."""
        if self.user(username) is None:
            raise AccountError(f"There is no staff user {username}; add one with `nianbao staff add {username}`.")
        if not name.strip():
            raise AccountError("Name the token after what uses it (e.g. --name weekly-export).")
        token_id = secrets.token_hex(4)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(id=token_id, username=username, name=name.strip()[:100],
                                                   token_hash=token_hash(token), created_at=utcnow(), revoked=False))
        return token_id, token

    def user_for_token(self, token: str) -> StaffUser | None:
        """The user of a valid (not revoked) token, noting when it was used; else None."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(staff_users, api_tokens.c.id.label("token_id"))
                .join(api_tokens, api_tokens.c.username == staff_users.c.username)
                .where(api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked.is_(False))
            ).first()
            if row is None:
                return None
            conn.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=utcnow()))
        return _user(row)

    def revoke_token(self, token_id: str) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked=True))
        if not result.rowcount:
            raise AccountError(f"There is no token {token_id}; `nianbao staff list` shows the tokens and their ids.")

    def tokens(self) -> list[TokenInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_tokens).order_by(api_tokens.c.username, api_tokens.c.created_at))
            return [TokenInfo(r.id, r.username, r.name, r.created_at, r.last_used_at, r.revoked) for r in rows]
