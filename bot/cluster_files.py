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
            "no cluster has been imported yet: import the province's clusters with `cumthidua"
            " province import FILE` (its decision, or the workbook of `cumthidua province"
            " template`), or one with `cumthidua cluster import FOLDER` (a folder with"
            " cluster.yaml and plan.yaml), or set CUMTHIDUA_CLUSTER_DIR to it before the first"
            " start"
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


def _rejoin_commas(node: yaml.Node, text: str) -> None:
    """In a flow mapping such as ``{code: VHTTDL, name: Sở Văn hóa, Thể thao và Du lịch, kind:
    sở}`` YAML ends the name at the comma and reads "Thể thao và Du lịch" as a key without a
    value; such a key is the rest of the value before it, so it is joined back as written."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _rejoin_commas(item, text)
    elif isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for key, value in node.value:
            previous = pairs[-1][1] if pairs else None
            if (
                node.flow_style
                and isinstance(previous, yaml.ScalarNode)
                and previous.style is None
                and isinstance(key, yaml.ScalarNode)
                and key.style is None
                and isinstance(value, yaml.ScalarNode)
                and value.tag == "tag:yaml.org,2002:null"
                and value.start_mark.index == value.end_mark.index
            ):
                previous.value = text[previous.start_mark.index : key.end_mark.index]
                previous.tag = "tag:yaml.org,2002:str"
                previous.end_mark = key.end_mark
                continue
            _rejoin_commas(value, text)
            pairs.append((key, value))
        node.value = pairs


def _load(path: Path) -> tuple[Any, yaml.Node | None]:
    if not path.is_file():
        raise ClusterDataError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _rejoin_commas(root, text)
        return loader.construct_document(root), root
    except yaml.YAMLError as exc:
        raise ClusterDataError(f"{path}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


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
