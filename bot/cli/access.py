"""Command-line tasks on people: the first admin, invitations (made one by one, printed on
paper for every unit, listed, withdrawn), the audit log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.app import installation
from bot.channels.telegram import telegram_username
from bot.cli.clusters import choose_year
from bot.config import Settings
from bot.domain.access import Role, RoleMismatch
from bot.domain.formatting import local_datetime
from bot.domain.invitations import NewInvitation, OfficerToInvite
from bot.i18n import Translator
from bot.outputs.docx_render import DocumentError, office_to_pdf, pdf_available
from bot.outputs.invitation_sheets import invitation_sheets_docx, sheet_page
from bot.services.container import Services
from bot.texts.invitations import invitation_text
from bot.texts.roles import COMMAND_LINE_ROLE_WORDS, role_mismatch_text, role_name, unit_label
from bot.usecases import audit_log, invitations, province_import
from bot.usecases.invitations import UsernameLookup

__all__ = ["audit", "create_invitation", "list_invitations", "print_sheets", "revoke_invitation"]


def _username_lookup(settings: Settings) -> UsernameLookup | None:
    """Telegram's ``getMe`` with the configured token, when there is one."""
    token = settings.telegram_token
    if token is None:
        return None

    async def ask() -> str | None:
        return await telegram_username(
            token.get_secret_value(), settings.telegram_base_url, settings.telegram_timeout
        )

    return ask


def _year_of_unit(root: Services, unit_typed: str, _: Translator) -> Services | None:
    found = invitations.unit_year(root, unit_typed)
    if found is None:
        print(
            _(
                "No cluster of this installation has the unit “{typed}”: write the unit's code "
                "as its cluster's data has it, or add --cluster KEY (see `cumthidua cluster "
                "list`)."
            ).format(typed=unit_typed)
        )
    return found


async def create_invitation(
    settings: Settings,
    unit_typed: str | None,
    role: Role | None,
    _: Translator,
    cluster_key: str | None = None,
) -> int:
    """Print a new invitation (``admin add`` is an invitation with the admin role) for a unit,
    found in the cluster it belongs to (or in ``cluster_key``'s); the province role is for the
    provincial emulation board of that cluster's province (default: the first cluster's)."""
    async with installation(settings) as root:
        if cluster_key is not None:
            services = choose_year(root, cluster_key, None, _)
        elif unit_typed is not None:
            services = _year_of_unit(root, unit_typed, _)
        else:
            services = root
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
        made = await invitations.invite(services, unit_code, role, None, _username_lookup(settings))
        if isinstance(made, RoleMismatch):
            print(role_mismatch_text(made, cluster, unit_code, COMMAND_LINE_ROLE_WORDS, _))
            return 2
        assert isinstance(made, NewInvitation)
        if made.role not in (Role.ADMIN, Role.PROVINCE):  # the province's role names it
            print(
                _("Cluster: {cluster}, province: {province}.").format(
                    cluster=cluster.name, province=cluster.province
                )
            )
        reply = invitation_text(made, cluster, _)
        print(reply.text)
        if reply.attachment is not None:
            path = settings.data_dir / f"moi-{made.id}.png"
            path.write_bytes(reply.attachment.data)
            print(_("QR code: {path}").format(path=path))
        return 0


async def print_sheets(
    settings: Settings, cluster_key: str | None, out: Path, _: Translator
) -> int:
    """Write the invitations on paper of the cluster ``cluster_key`` (None: of every cluster's
    open year): one sheet per officer the province listed and per unit with no officer at all,
    DOCX and, where LibreOffice is installed, PDF beside it."""
    async with installation(settings) as root:
        if cluster_key is None:
            years = invitations.open_years(root)
        else:
            chosen = choose_year(root, cluster_key, None, _)
            if chosen is None:
                return 2
            years = [chosen]
        listed = [
            OfficerToInvite(o.unit_code, o.name, o.position or None)
            for o in await province_import.listed_officers(root, cluster_key)
        ]
        officers = [o for year in years for o in await invitations.officers_to_invite(year, listed)]
        printed = await invitations.invitation_sheets(root, officers, _username_lookup(settings))
        if not printed:
            print(_("Every unit already has a registered officer: there is nothing to print."))
            return 0
        pages = [sheet_page(p, _) for p in printed]
        docx = await asyncio.to_thread(invitation_sheets_docx, pages)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(docx)
        print(_("{count} invitation(s) written to {out}").format(count=len(printed), out=out))
        if pdf_available():
            try:
                pdf = out.with_suffix(".pdf")
                pdf.write_bytes(await office_to_pdf(docx))
                print(_("Document written to {out}").format(out=pdf))
            except DocumentError as exc:
                print(_("The document could not be made: {reason}").format(reason=exc))
        if printed[0].made.bot_username is None:
            print(
                _(
                    "The sheets carry no QR code: the bot's Telegram username is not known yet. "
                    "Set CUMTHIDUA_TELEGRAM_USERNAME (or CUMTHIDUA_TELEGRAM_TOKEN) and print "
                    "them again."
                )
            )
        return 0


async def list_invitations(
    settings: Settings, cluster_key: str | None, as_json: bool, _: Translator
) -> int:
    async with installation(settings) as root:
        cluster_id = None
        if cluster_key is not None:
            chosen = choose_year(root, cluster_key, None, _)
            if chosen is None:
                return 2
            cluster_id = chosen.year.cluster_id
        lines = await invitations.listed(root, cluster_id)
        timezone = root.cluster_year.cluster.timezone
        for line in lines:
            invitation, data = line.invitation, line.data or root.cluster_year.cluster
            if as_json:
                record = {
                    "number": invitation.id,
                    "cluster": line.cluster.key if line.cluster else None,
                    "unit": invitation.unit_code,
                    "role": invitation.role.value,
                    "created_at": invitation.created_at.isoformat(),
                    "expires_at": invitation.expires_at.isoformat(),
                }
                print(json.dumps(record, ensure_ascii=False))
                continue
            print(
                _("No. {id}: {unit}, {role}, {cluster}; made {made}, valid until {until}").format(
                    id=invitation.id,
                    unit=unit_label(data, invitation.unit_code, _),
                    role=role_name(invitation.role, data, _),
                    cluster=line.cluster.name if line.cluster else "—",
                    made=local_datetime(invitation.created_at, timezone),
                    until=local_datetime(invitation.expires_at, timezone),
                )
            )
        if not lines and not as_json:
            print(_("There is no unused invitation."))
        return 0


async def revoke_invitation(settings: Settings, typed: str, _: Translator) -> int:
    async with installation(settings) as root:
        number = await invitations.revoke_anywhere(root, typed)
        if number is None:
            print(
                _(
                    "There is no unused invitation “{typed}” (used, withdrawn, expired or never "
                    "made): see `cumthidua invite list`."
                ).format(typed=typed)
            )
            return 2
        print(_("Invitation No. {id} is withdrawn; its code no longer works.").format(id=number))
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
