"""Reading a cluster-year folder (``cluster.yaml`` + ``plan.yaml``) with errors that name lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.domain.cluster import Campaigns, Cluster, ClusterYear, Plan
from bot.domain.scoring_table import ScoringTable

__all__ = ["ClusterDataError", "NoClusterError", "configured_folder", "load_cluster_year"]


class ClusterDataError(Exception):
    """A cluster data file is missing or invalid; the message names the file, field and line."""


class NoClusterError(ClusterDataError):
    """The installation has no cluster yet (nothing was imported)."""

    def __init__(self) -> None:
        super().__init__(
            "no cluster has been imported yet: import one with `cumthidua cluster import FOLDER`"
            " (a folder with cluster.yaml and plan.yaml), or set CUMTHIDUA_CLUSTER_DIR to it"
            " before the first start"
        )


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic checks them and errors get a line."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _node_at(node: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """The YAML node for a pydantic error location, as deep as the document goes."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
    return node


def _load(path: Path) -> tuple[Any, yaml.Node | None]:
    if not path.is_file():
        raise ClusterDataError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_Loader), yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ClusterDataError(f"{path}: not valid YAML: {exc}") from exc


def _validate(model: type[BaseModel], path: Path) -> Any:
    data, root = _load(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "(document)"
            where = ""
            if root is not None:
                node = _node_at(root, tuple(error["loc"]))
                where = f", line {node.start_mark.line + 1}"
            lines.append(f"{path}{where}: {field}: {error['msg']}")
        raise ClusterDataError("\n".join(lines)) from exc


def configured_folder(folder: Path | None) -> Path:
    """The cluster folder the settings name (``CUMTHIDUA_CLUSTER_DIR``), for commands that read
    it; refused when none is set."""
    if folder is None:
        raise ClusterDataError(
            "CUMTHIDUA_CLUSTER_DIR is not set: there is no cluster folder to read"
        )
    return folder


def load_cluster_year(folder: Path) -> ClusterYear:
    cluster = _validate(Cluster, folder / "cluster.yaml")
    plan = _validate(Plan, folder / "plan.yaml")
    scoring_file = folder / "scoring.yaml"
    scoring = _validate(ScoringTable, scoring_file) if scoring_file.is_file() else None
    campaigns_file = folder / "campaigns.yaml"
    campaigns = _validate(Campaigns, campaigns_file).campaigns if campaigns_file.is_file() else ()
    try:
        return ClusterYear(cluster=cluster, plan=plan, scoring=scoring, campaigns=campaigns)
    except ValidationError as exc:
        raise ClusterDataError(f"{folder}: {exc.errors()[0]['msg']}") from exc
