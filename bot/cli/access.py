"""Command-line tasks on people: the first admin, invitations, the audit log."""

from __future__ import annotations

import json

from bot.app import installation
from bot.cli.clusters import choose_year
from bot.config import Settings
from bot.domain.access import Role, RoleMismatch
from bot.domain.formatting import local_datetime
from bot.domain.invitations import NewInvitation
from bot.i18n import Translator
from bot.texts.invitations import invitation_text
from bot.texts.roles import role_mismatch_text
from bot.usecases import audit_log, invitations

__all__ = ["audit", "create_invitation"]


async def create_invitation(
    settings: Settings,
    unit_typed: str | None,
    role: Role | None,
    _: Translator,
    cluster_key: str | None = None,
) -> int:
    """Print a new invitation (``admin add`` is an invitation with the admin role), for a unit
    of the cluster named by ``cluster_key`` (default: the first); the province role is for the
    provincial emulation board of that cluster's province."""
    async with installation(settings) as root:
        services = choose_year(root, cluster_key, None, _)
        if services is None:
            return 2
        cluster = services.cluster_year.cluster
        unit_code = None
        if unit_typed is not None:
            unit = cluster.find_unit(unit_typed)
            if unit is None:
                codes = ", ".join(u.code for u in cluster.units)
                print(
                    _("I do not know the unit “{typed}”. The units are: {codes}.").format(
                        typed=unit_typed, codes=codes
                    )
                )
                return 2
            unit_code = unit.code
        if role in (None, Role.MEMBER, Role.CHAIR) and unit_code is None:
            print(_("A member or chair officer needs a unit: add --unit CODE."))
            return 2
        made = await invitations.invite(services, unit_code, role, None)
        if isinstance(made, RoleMismatch):
            print(role_mismatch_text(made, cluster, unit_code, _))
            return 2
        assert isinstance(made, NewInvitation)
        reply = invitation_text(made, cluster, _)
        print(reply.text)
        if reply.attachment is not None:
            path = settings.data_dir / f"moi-{made.id}.png"
            path.write_bytes(reply.attachment.data)
            print(_("QR code: {path}").format(path=path))
        return 0


async def audit(settings: Settings, as_json: bool) -> int:
    async with installation(settings) as services:
        timezone = services.cluster_year.cluster.timezone
        for entry in await audit_log.entries(services):
            if as_json:
                record = {
                    "at": entry.at.isoformat(),
                    "actor": entry.actor,
                    "action": entry.action,
                    "subject": entry.subject,
                    "detail": entry.detail,
                }
                print(json.dumps(record, ensure_ascii=False))
            else:
                detail = json.dumps(entry.detail, ensure_ascii=False) if entry.detail else ""
                when = local_datetime(entry.at, timezone)
                print(f"{when}  {entry.actor:<22} {entry.action:<20} {entry.subject:<16} {detail}")
        return 0
