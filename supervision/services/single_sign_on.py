"""Matching a person signed in at the council's OpenID provider to a person here.

The provider proves who someone is; this service decides whether they may come in. The
claim named by OIDC_PERSON_CLAIM (for example `oid` or `email` with Microsoft Entra ID) is
compared with each person's sign-in identity, which only a manager, an administrator or
the command line sets. Nobody is created on the way in.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..store.models import Membership, User


class Refusal:
    """Why a sign-in through the provider was refused: kept in the audit row and choosing the page's words."""

    UNKNOWN = "unknown_person"
    CLOSED = "account_closed"
    NO_TEAM = "no_team"
    NO_CLAIM = "no_identity_claim"
    TOKEN = "token_not_accepted"
    PROVIDER = "provider_error"
    STATE = "state_not_matched"


@dataclass(frozen=True)
class Match:
    user: User | None
    identity: str | None
    refusal: str | None = None


def identity_in(claims, claim_name: str) -> str | None:
    value = claims.get(claim_name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        return None
    return value.strip()


def match(claims, claim_name: str) -> Match:
    """The active person whose sign-in identity is this token's claim, or why not."""
    identity = identity_in(claims, claim_name)
    if identity is None:
        return Match(None, None, Refusal.NO_CLAIM)
    user = db.session.scalar(select(User).where(User.external_subject == identity))
    if user is None:
        return Match(None, identity, Refusal.UNKNOWN)
    if not user.active:
        return Match(user, identity, Refusal.CLOSED)
    if db.session.scalar(select(Membership.id).where(Membership.user_id == user.id).limit(1)) is None \
            and not user.is_administrator:
        return Match(user, identity, Refusal.NO_TEAM)
    return Match(user, identity)
