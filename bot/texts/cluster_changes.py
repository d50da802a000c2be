"""What an import changes in the installation, said to the operator one line each: new
clusters and units, cluster-years updated, units that move or are renamed, and what is refused."""

from __future__ import annotations

from bot.domain.cluster import Cluster, ClusterKind
from bot.domain.cluster_changes import Changes, YearChange
from bot.i18n import Translator

__all__ = ["chair_name", "changes_lines"]


def chair_name(cluster: Cluster, code: str | None, _: Translator) -> str:
    """The chair (or deputy) unit by its name and code; "to be chosen" when there is none."""
    if code is None:
        return _("to be chosen")
    unit = cluster.unit(code)
    return f"{unit.name} ({code})" if unit else code


def _updated(change: YearChange, _: Translator) -> list[str]:
    head = _("{cluster} {year} changes:").format(cluster=change.cluster, year=change.year)
    lines = [head]
    lines += ["  + " + f"{u.name} ({u.code})" for u in change.added]
    lines += ["  − " + f"{u.name} ({u.code})" for u in change.removed]
    for label, moved in ((_("chair unit"), change.chair), (_("deputy unit"), change.deputy)):
        if moved is not None:
            before, after = (code or _("to be chosen") for code in moved)
            lines.append(f"  {label}: {before} → {after}")
    if change.titles is not None:
        (chair_before, chair_after), (deputy_before, deputy_after) = change.titles
        usual = _("the usual word")
        lines.append(
            "  "
            + _("called: chair {before} → {after}, deputy {deputy_before} → {deputy_after}").format(
                before=chair_before or usual,
                after=chair_after or usual,
                deputy_before=deputy_before or usual,
                deputy_after=deputy_after or usual,
            )
        )
    if change.rest:
        lines.append("  " + _("its name, kind, plan or other data change as well"))
    return lines


def changes_lines(changes: Changes, _: Translator) -> list[str]:
    lines = []
    for data in changes.new_years:
        cluster = data.cluster
        text = (
            _("New bloc {cluster} {year}: {units} units, chair {chair}")
            if cluster.kind is ClusterKind.KHOI
            else _("New cluster {cluster} {year}: {units} units, chair {chair}")
        )
        lines.append(
            text.format(
                cluster=cluster.name,
                year=cluster.year,
                units=len(cluster.units),
                chair=chair_name(cluster, cluster.chair, _),
            )
        )
    lines += [
        _("New unit {code}: {name}").format(code=u.code, name=u.name) for u in changes.new_units
    ]
    for change in changes.updated:
        lines += _updated(change, _)
    lines += [
        _("Unit {name} ({code}) moves from {source} to {target}").format(
            name=m.unit.name, code=m.unit.code, source=m.source, target=m.target
        )
        for m in changes.moves
    ]
    lines += [
        _("Unit {code} is renamed: {old} → {new}").format(code=r.code, old=r.old, new=r.new)
        for r in changes.renames
    ]
    lines += [_("{cluster}: unchanged").format(cluster=name) for name in changes.unchanged]
    lines += [
        _(
            "Refused: {unit} ({code}) would be in {cluster} and in {other} in {year}; a unit "
            "belongs to one cluster a year."
        ).format(unit=c.unit.name, code=c.unit.code, cluster=c.cluster, other=c.other, year=c.year)
        for c in changes.conflicts
    ]
    return lines
