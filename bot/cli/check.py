"""``cumthidua check-config``: the settings, the configured cluster folder (if any) and every
cluster-year in the database; exit 2 naming cluster, year and field."""

from __future__ import annotations

from bot.app import open_database
from bot.clock import SystemClock
from bot.cluster_files import load_cluster_year
from bot.config import Settings
from bot.i18n import Translator
from bot.texts.cluster_checks import problem_text
from bot.usecases.cluster_years import stored_problems

__all__ = ["check_config"]


def _check_folder(settings: Settings, _: Translator) -> None:
    if settings.cluster_dir is None:
        return
    year = load_cluster_year(settings.cluster_dir)  # errors name file, line and field
    print(
        _("Configuration is valid: {cluster} {year}, {units} units, {tasks} tasks.").format(
            cluster=year.cluster.name,
            year=year.cluster.year,
            units=len(year.cluster.units),
            tasks=len(year.plan.tasks),
        )
    )
    if year.scoring is not None and year.scoring.example:
        print(
            _(
                "Note: scoring.yaml is an illustrative example; replace it with the "
                "province's official table."
            )
        )


async def check_config(settings: Settings, _: Translator) -> int:
    _check_folder(settings, _)
    if not settings.database_path.exists():
        print(_("There is no database yet: it is made on the first start or import."))
        return 0
    db = await open_database(settings, SystemClock(), first_start=False)
    try:
        count, problems = await stored_problems(db)
    finally:
        await db.close()
    for problem in problems:
        print(problem_text(problem, _))
    if problems:
        return 2
    print(_("The database's {count} cluster-years are valid.").format(count=count))
    return 0
