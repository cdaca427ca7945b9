"""The corrections store: one YAML file per document beside the warehouse (docs/corrections.md).

`<warehouse>.corrections/<doc_id>.yaml` (or any folder given as `--corrections`) holds a list
of a researcher's corrections, the document's title as a comment on top. This module is the
edge: pydantic checks each entry's shape, the field tables of transform/curation/fields.py
check its values, and a mistake is reported with the file and the line it is on. What
crosses inward are frozen `transform.records.Correction` records.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from transform.curation.fields import (
    ADDABLE,
    DRUG_SEPARATOR,
    FIELDS,
    KEY_FIELDS,
    REQUIRED_KEYS,
    UNDATED,
    FieldSpec,
    number_text,
)
from transform.records import Correction, CorrectionTarget, CuratedDate, CuratedValue
from transform.types import EVENT_KINDS, RESPONSES, CorrectionRow, DatePrecision

SUFFIX = ".corrections"
"""`caselines.duckdb` -> `caselines.duckdb.corrections/`."""
FILE_EXT = ".yaml"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CorrectionsInvalid(ValueError):
    """A corrections file that cannot be read: the message starts with 'file:line:'."""


def store_dir(
    db: str | os.PathLike[str], corrections: str | os.PathLike[str] | None = None
) -> Path:
    """The corrections folder of a warehouse: the one given, else `<db>.corrections`."""
    return Path(corrections) if corrections is not None else Path(f"{db}{SUFFIX}")


def file_of(folder: Path, doc_id: str) -> Path:
    return folder / f"{doc_id}{FILE_EXT}"


# --- the shape of an entry (pydantic) ------------------------------------------------------

KeyDate = date | Literal["undated"]


_ATTR_OF = {"date": "on_date"}
"""Key fields whose attribute is named otherwise ('date' would shadow the type in the class)."""
_KEY_OF = {v: k for k, v in _ATTR_OF.items()}


class TargetModel(BaseModel):
    """Which row: its kind, its case and the key fields of that kind (fields.KEY_FIELDS)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    row: CorrectionRow
    case: int | None = None
    line: int | None = Field(default=None, ge=1)
    drugs: list[str] | None = None
    drug: str | None = None
    start: KeyDate | None = None
    on_date: KeyDate | None = Field(default=None, alias="date")
    response: str | None = None
    event: str | None = None
    onset: KeyDate | None = None
    site: str | None = None
    dim1_cm: float | None = None
    kind: str | None = None

    @model_validator(mode="after")
    def _fits_row(self) -> TargetModel:
        named = {_KEY_OF.get(n, n) for n in self.model_fields_set} - {"row", "case"}
        extra = sorted(named - set(KEY_FIELDS[self.row]))
        if extra:
            raise ValueError(f"the {self.row} target has no key field {', '.join(extra)}")
        if self.row != "document" and self.case is None:
            raise ValueError(f"the {self.row} target needs its case")
        if self.response is not None and self.response not in RESPONSES:
            raise ValueError(f"response {self.response!r} is not one of {', '.join(RESPONSES)}")
        if self.kind is not None and self.kind not in EVENT_KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(EVENT_KINDS)}")
        return self

    def value(self, name: str) -> Any:
        """A key field by its name in the file ('date' is the attribute `on_date`)."""
        return getattr(self, _ATTR_OF.get(name, name))

    def key(self) -> tuple[tuple[str, str], ...]:
        pairs: list[tuple[str, str]] = []
        for name in KEY_FIELDS[self.row]:
            value = self.value(name)
            if value is None:
                continue
            if isinstance(value, list):
                text = DRUG_SEPARATOR.join(sorted(v.strip().lower() for v in value))
            elif isinstance(value, date):
                text = value.isoformat()
            elif isinstance(value, float):
                text = number_text(value)
            else:
                text = str(value).strip().lower()
            pairs.append((name, text))
        return tuple(pairs)


class CorrectionModel(BaseModel):
    """One entry: a target, exactly one of set / remove / add, and why, by whom, when."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    target: TargetModel
    set: dict[str, Any] | None = None
    remove: bool = False
    add: dict[str, Any] | None = None
    why: str = Field(min_length=1)
    by: str = Field(min_length=1)
    made_on: date

    @model_validator(mode="after")
    def _one_action(self) -> CorrectionModel:
        chosen = [n for n in ("set", "add") if getattr(self, n) is not None]
        if self.remove:
            chosen.append("remove")
        if len(chosen) != 1:
            raise ValueError("give exactly one of set, remove (true) or add")
        if self.target.row == "document" and not self.remove:
            raise ValueError("a document target can only be removed (not oncology)")
        if self.add is not None and self.target.row not in ADDABLE:
            raise ValueError(f"a {self.target.row} cannot be added")
        if self.set is not None and not self.set:
            raise ValueError("set names no field")
        row = self.target.row
        missing = [k for k in REQUIRED_KEYS.get(row, ()) if self.target.value(k) is None]
        if missing and self.add is None:
            raise ValueError(f"the {row} target needs {', '.join(missing)}")
        return self


# --- values (the field tables of the curation layer) ---------------------------------------


class FieldError(ValueError):
    """A value a field cannot take; `path` leads to it in the entry (for its line)."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


def curated_date(value: Any) -> CuratedDate | None:
    """A date as a researcher writes it: 2015-03-01 (day), '2015-03' (month), '2015' (year)."""
    if value is None:
        return None
    if isinstance(value, date):
        return CuratedDate(value, "day")
    text = str(value).strip()
    forms: tuple[tuple[re.Pattern[str], DatePrecision], ...] = (
        (_DAY, "day"),
        (_MONTH, "month"),
        (_YEAR, "year"),
    )
    for pattern, precision in forms:
        if m := pattern.match(text):
            parts = [int(g) for g in m.groups()] + [1, 1]
            try:
                return CuratedDate(date(parts[0], parts[1], parts[2]), precision)
            except ValueError as exc:
                raise ValueError(f"{text!r} is no date: {exc}") from None
    raise ValueError(f"{text!r} is no date (write 2015-03-01, 2015-03 or 2015)")


def _typed(spec: FieldSpec, value: Any) -> CuratedValue:
    if value is None:
        return None
    if spec.kind == "date":
        return curated_date(value)
    if spec.kind == "flag":
        if isinstance(value, bool):
            return value
        raise ValueError(f"{value!r} is not true or false")
    if spec.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    if spec.kind == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    text = str(value).strip()
    if spec.kind == "text" and spec.attr in ("drug", "event"):
        text = text.lower()
    if spec.accepted and text not in spec.accepted:
        raise ValueError(f"{text!r} is not one of {', '.join(spec.accepted)}")
    return text


def field_values(
    row: CorrectionRow, action: str, raw: dict[str, Any]
) -> tuple[tuple[str, CuratedValue], ...]:
    fields = FIELDS[row]
    out: list[tuple[str, CuratedValue]] = []
    for name, value in raw.items():
        spec = fields.get(str(name))
        if spec is None:
            known = ", ".join(fields) or "none"
            raise FieldError((action, name), f"a {row} has no field {name!r} (fields: {known})")
        try:
            out.append((str(name), _typed(spec, value)))
        except ValueError as exc:
            raise FieldError((action, name), f"{name}: {exc}") from None
        if spec.required and out[-1][1] is None:
            raise FieldError((action, name), f"{name} cannot be empty")
    if action == "add":
        missing = [n for n, s in fields.items() if s.required and n not in raw]
        if missing:
            raise FieldError((action,), f"a new {row} needs {', '.join(missing)}")
    return tuple(out)


def to_correction(model: CorrectionModel, number: int, source: str) -> Correction:
    row = model.target.row
    action: Literal["set", "remove", "add"] = (
        "remove" if model.remove else "add" if model.add is not None else "set"
    )
    raw = model.set if action == "set" else model.add if action == "add" else None
    return Correction(
        action=action,
        target=CorrectionTarget(row, model.target.case, model.target.key()),
        why=model.why.strip(),
        by=model.by.strip(),
        made_on=model.made_on,
        values=field_values(row, action, raw or {}),
        number=number,
        source=source,
    )


# --- reading a file, with line numbers -----------------------------------------------------


def _line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int:
    """1-based line of the YAML node at `path` (as deep as it goes)."""
    if node is None:
        return 1
    for step in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            child = node.value[step] if step < len(node.value) else None
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(step):
                    child = value
                    break
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def parse(text: str, source: str, label: str | None = None) -> tuple[Correction, ...]:
    """The corrections of one file's text; CorrectionsInvalid('source:line: reason').
    `label` names the file in each Correction's `source` (default: `source`)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise CorrectionsInvalid(f"{source}:{line}: not YAML: {exc.problem or exc}") from None
    if data is None:
        return ()
    if not isinstance(data, list):
        raise CorrectionsInvalid(f"{source}:{_line_of(root, [])}: expected a list of corrections")
    out: list[Correction] = []
    for i, entry in enumerate(data):
        try:
            model = CorrectionModel.model_validate(entry)
            where_from = f"{label or source}:{_line_of(root, [i])}"
            out.append(to_correction(model, i + 1, where_from))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [p for p in first["loc"] if not (isinstance(p, str) and "[" in p)]
            where = ".".join(str(p) for p in loc) or "entry"
            raise CorrectionsInvalid(
                f"{source}:{_line_of(root, [i, *loc])}: correction {i + 1}, {where}: {first['msg']}"
            ) from None
        except FieldError as exc:
            raise CorrectionsInvalid(
                f"{source}:{_line_of(root, [i, *exc.path])}: correction {i + 1}: {exc}"
            ) from None
    return tuple(out)


def read_file(path: Path) -> tuple[Correction, ...]:
    return parse(path.read_text(encoding="utf-8"), str(path), path.name)


def read_document(folder: Path, doc_id: str) -> tuple[Correction, ...]:
    """The document's corrections, none when it has no file."""
    path = file_of(folder, doc_id)
    return read_file(path) if path.exists() else ()


def documents_with_corrections(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(FILE_EXT) for p in folder.glob(f"*{FILE_EXT}"))


# --- writing one entry ---------------------------------------------------------------------


def _yaml_value(value: CuratedValue) -> Any:
    if isinstance(value, CuratedDate):
        if value.precision == "day":
            return value.value
        if value.precision == "month":
            return value.value.strftime("%Y-%m")
        return value.value.strftime("%Y")
    return value


def entry_of(corr: Correction) -> dict[str, Any]:
    """The YAML mapping of a correction (what `caselines correct` appends)."""
    target: dict[str, Any] = {"row": corr.target.row}
    if corr.target.case_id is not None:
        target["case"] = corr.target.case_id
    for name, text in corr.target.key:
        if name == "line":
            target[name] = int(text)
        elif name == "drugs":
            target[name] = text.split(DRUG_SEPARATOR)
        elif name == "dim1_cm":
            target[name] = float(text)
        elif name in ("start", "date", "onset") and text != UNDATED:
            target[name] = date.fromisoformat(text)
        else:
            target[name] = text
    entry: dict[str, Any] = {"target": target}
    if corr.action == "remove":
        entry["remove"] = True
    else:
        entry[corr.action] = {name: _yaml_value(v) for name, v in corr.values}
    entry.update({"why": corr.why, "by": corr.by, "made_on": corr.made_on})
    return entry


def append(folder: Path, doc_id: str, title: str | None, corr: Correction) -> Path:
    """Append one correction to the document's file (made with its title comment when new);
    hand-written entries and comments stay as they are. The result is read back, so a file
    that no longer parses is refused here, not at the next ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    path = file_of(folder, doc_id)
    head = ""
    if not path.exists():
        head = f"# {' '.join((title or 'untitled').split())}\n# corrections of {doc_id}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    body = yaml.safe_dump([entry_of(corr)], sort_keys=False, allow_unicode=True)
    text = head + old + body
    parse(text, str(path))
    path.write_text(text, encoding="utf-8")
    return path
