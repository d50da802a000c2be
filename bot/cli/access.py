"""Command-line tasks on people: the first admin, invitations, the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.app import open_services
from bot.cli.clusters import choose_year
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.access import Role, RoleMismatch, role_for_unit
from bot.domain.formatting import local_datetime
from bot.i18n import Translator
from bot.texts.invitations import invitation_reply
from bot.texts.roles import role_mismatch_text, role_name, unit_label

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
    root = await open_services(settings, SystemClock())
    try:
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
        fitted = role_for_unit(role, unit_code, cluster.chair)
        if isinstance(fitted, RoleMismatch):
            print(role_mismatch_text(fitted, cluster, unit_code, _))
            return 2
        role = fitted
        now = services.clock.now()
        valid = timedelta(days=settings.invite_valid_days)
        province = cluster.province if role is Role.PROVINCE else None
        _id, code = await services.invitations.create(
            unit_code, role, now, valid, created_by=None, actor="cli", province=province
        )
        username = await services.meta.get("telegram.username")
        reply = invitation_reply(
            code,
            unit_label(cluster, unit_code, _),
            role_name(role, _),
            now + valid,
            cluster.timezone,
            username,
            _,
        )
        print(reply.text)
        if reply.attachment is not None:
            path = settings.data_dir / f"moi-{_id}.png"
            path.write_bytes(reply.attachment.data)
            print(_("QR code: {path}").format(path=path))
        return 0
    finally:
        await root.db.close()


async def audit(settings: Settings, as_json: bool) -> int:
    services = await open_services(settings, SystemClock())
    try:
        timezone = services.cluster_year.cluster.timezone
        for entry in await services.audit.entries():
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
    finally:
        await services.db.close()
