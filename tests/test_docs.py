"""The project's documentation checked against what it documents, so it cannot drift.

docs/warehouse.md is compared with a warehouse made fresh by the project's own schema loader
(load.schema.apply_schema): every table, view and column documented and nothing documented
that is not there, the same types, and the accepted values of every `check (col in (...))`
constraint of warehouse/schema/*.sql. README.md and docs/*.md may name only files of the
repository, and README nothing of ../shared (the evaluation corpora are not in a clone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

import transform.records
from extract import errors as extract_errors
from load.schema import apply_schema, schema_sql

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
WAREHOUSE_DOC = DOCS / "warehouse.md"
DOC_FILES = (README, *sorted(DOCS.glob("*.md")))
"""README first, then docs/*.md."""

DOC_HEADER = ("column", "type", "meaning", "unit", "accepted values", "example")
"""The header of every table's markdown table in docs/warehouse.md."""
VIEW_SUFFIX = "(view)"
_TABLE_HEADING = re.compile(r"^## ([a-z_][a-z0-9_]*)(?: (\(view\)))?\s*$")
"""`## name` or `## name (view)`; other `##` headings (Conventions, ...) are prose."""
_ANY_HEADING = re.compile(r"^#{1,6} ")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_BACKTICKED = re.compile(r"`([^`]*)`")

TYPE_ALIASES = {
    "TEXT": "VARCHAR",
    "STRING": "VARCHAR",
    "CHAR": "VARCHAR",
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "BOOL": "BOOLEAN",
    "FLOAT8": "DOUBLE",
    "DOUBLE PRECISION": "DOUBLE",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
}
LIST_SUFFIX = "[]"

_SQL_COMMENT = re.compile(r"--[^\n]*")
_CREATE_TABLE = re.compile(r"create\s+table\s+(?:if\s+not\s+exists\s+)?(\w+)", re.I)
_CHECK_IN = re.compile(r"check\s*\(\s*(\w+)\s+in\s*\(([^()]*)\)\s*\)", re.I | re.S)
_SQL_VALUE = re.compile(r"'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_BOUND = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
"""A number standing alone: '5' in '1-5' and 'between 1 and 5', not the 1 of 'dim1_cm'."""


class DocFormatError(ValueError):
    """docs/warehouse.md does not follow its own layout (heading, then the 6-column table)."""


@dataclass(frozen=True)
class DocColumn:
    name: str
    type: str
    accepted: str
    """The 'accepted values' cell as written."""


@dataclass(frozen=True)
class DocTable:
    name: str
    is_view: bool
    columns: tuple[DocColumn, ...]

    def column(self, name: str) -> DocColumn | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class LiveTable:
    name: str
    is_view: bool
    columns: dict[str, str]
    """column -> DuckDB data_type, in ordinal order."""


Checks = dict[tuple[str, str], frozenset[str]]
"""(table, column) -> the values its `check (column in (...))` accepts, normalised."""


# --- reading the documentation -----------------------------------------------------------


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|").removesuffix("|")
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(inner)]


def _name(cell: str) -> str:
    return cell.strip().strip("`").strip()


def _table_rows(lines: list[str], start: int, table: str) -> tuple[list[list[str]], int]:
    """The rows of the first markdown table after line `start`, before the next heading."""
    i = start
    while i < len(lines) and not lines[i].lstrip().startswith("|"):
        if _ANY_HEADING.match(lines[i]):
            raise DocFormatError(f"## {table}: no column table before the next heading")
        i += 1
    if i >= len(lines):
        raise DocFormatError(f"## {table}: no column table")
    header = tuple(c.lower() for c in _cells(lines[i]))
    if header != DOC_HEADER:
        raise DocFormatError(
            f"## {table}: table header is {' | '.join(header)}, expected {' | '.join(DOC_HEADER)}"
        )
    i += 2  # header and the --- separator
    rows = []
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        cells = _cells(lines[i])
        if len(cells) != len(DOC_HEADER):
            raise DocFormatError(
                f"## {table}: row {_name(cells[0])!r} has {len(cells)} cells, "
                f"expected {len(DOC_HEADER)} (escape a | inside a cell as \\|)"
            )
        rows.append(cells)
        i += 1
    return rows, i


def parse_warehouse_doc(text: str) -> dict[str, DocTable]:
    """Every `## table` / `## view (view)` section of the data dictionary with its columns."""
    lines = text.splitlines()
    tables: dict[str, DocTable] = {}
    i = 0
    while i < len(lines):
        heading = _TABLE_HEADING.match(lines[i])
        if heading is None:
            i += 1
            continue
        name, view = heading.group(1), heading.group(2) is not None
        if name in tables:
            raise DocFormatError(f"## {name}: documented twice")
        rows, i = _table_rows(lines, i + 1, name)
        columns = tuple(DocColumn(_name(r[0]), r[1].strip("`").strip(), r[4]) for r in rows)
        tables[name] = DocTable(name, view, columns)
    return tables


# --- reading the live schema -------------------------------------------------------------


def live_schema(con: duckdb.DuckDBPyConnection) -> dict[str, LiveTable]:
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'main'"
        ).fetchall()
    )
    columns: dict[str, dict[str, str]] = {name: {} for name in kinds}
    for table, column, data_type in con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'main' order by table_name, ordinal_position"
    ).fetchall():
        columns[table][column] = data_type
    return {name: LiveTable(name, kinds[name] == "VIEW", columns[name]) for name in sorted(kinds)}


def normalise_value(raw: str) -> str:
    """'30' and '30.0' are one accepted value; text values stay as written."""
    return f"{float(raw):g}" if _NUMBER.fullmatch(raw) else raw


def sql_in_checks(files: list[tuple[str, str]]) -> Checks:
    """`check (column in (...))` of each table of the schema files, by (table, column)."""
    checks: Checks = {}
    for file_name, sql in files:
        body = _SQL_COMMENT.sub("", sql)
        created = _CREATE_TABLE.search(body)
        if created is None:
            continue
        table = created.group(1)
        for column, values in _CHECK_IN.findall(body):
            found = [s.replace("''", "'") if s else n for s, n in _SQL_VALUE.findall(values)]
            assert found, f"{file_name}: {table}.{column}: could not read the CHECK list {values}"
            checks[(table, column)] = frozenset(normalise_value(v) for v in found)
    return checks


def live_checks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(table, column, constraint text) of every CHECK constraint DuckDB holds."""
    rows = con.execute(
        "select table_name, constraint_column_names, constraint_text from duckdb_constraints() "
        "where constraint_type = 'CHECK'"
    ).fetchall()
    return [(table, cols[0], text) for table, cols, text in rows if len(cols) == 1]


# --- the checks (each problem names the table and the column) ----------------------------


def normalise_type(raw: str) -> str:
    text = " ".join(raw.strip().upper().split())
    is_list = text.endswith(LIST_SUFFIX)
    base = text.removesuffix(LIST_SUFFIX).strip()
    base = TYPE_ALIASES.get(base, base)
    return base + (LIST_SUFFIX if is_list else "")


def table_problems(doc: dict[str, DocTable], live: dict[str, LiveTable]) -> list[str]:
    problems: list[str] = []
    for name, table in live.items():
        kind = "view" if table.is_view else "table"
        if name not in doc:
            heading = f"## {name} {VIEW_SUFFIX}" if table.is_view else f"## {name}"
            problems.append(f"{name}: {kind} of the warehouse not documented ({heading})")
        elif doc[name].is_view != table.is_view:
            written = "view" if doc[name].is_view else "table"
            problems.append(f"{name}: is a {kind}, documented as a {written}")
    problems.extend(
        f"{name}: documented, but the warehouse has no such table or view"
        for name in doc
        if name not in live
    )
    return problems


def column_problems(doc: dict[str, DocTable], live: dict[str, LiveTable]) -> list[str]:
    problems: list[str] = []
    for name in sorted(doc.keys() & live.keys()):
        documented = [c.name for c in doc[name].columns]
        problems.extend(
            f"{name}.{column}: documented twice"
            for column in sorted({c for c in documented if documented.count(c) > 1})
        )
        problems.extend(
            f"{name}.{column}: in the schema, not documented"
            for column in live[name].columns
            if column not in documented
        )
        problems.extend(
            f"{name}.{column}: documented, but {name} has no such column"
            for column in documented
            if column not in live[name].columns
        )
    return problems


def type_problems(doc: dict[str, DocTable], live: dict[str, LiveTable]) -> list[str]:
    problems: list[str] = []
    for name in sorted(doc.keys() & live.keys()):
        for column in doc[name].columns:
            actual = live[name].columns.get(column.name)
            if actual is not None and normalise_type(column.type) != normalise_type(actual):
                problems.append(
                    f"{name}.{column.name}: documented as {column.type!r}, the schema has {actual}"
                )
    return problems


def accepted_value_problems(doc: dict[str, DocTable], checks: Checks) -> list[str]:
    """The backticked values of the 'accepted values' cell must be the CHECK's list."""
    problems: list[str] = []
    for (table, column), allowed in sorted(checks.items()):
        documented_table = doc.get(table)
        entry = documented_table.column(column) if documented_table else None
        if entry is None:
            continue  # reported by column_problems
        written = frozenset(normalise_value(v) for v in _BACKTICKED.findall(entry.accepted))
        if written != allowed:
            missing, extra = sorted(allowed - written), sorted(written - allowed)
            problems.append(
                f"{table}.{column}: accepted values documented as {sorted(written)}, the CHECK "
                f"allows {sorted(allowed)} (undocumented: {missing}; not allowed: {extra})"
            )
    return problems


def range_check_problems(doc: dict[str, DocTable], con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every bound of a CHECK that is not an IN list ('grade between 1 and 5') is stated."""
    problems: list[str] = []
    for table, column, text in live_checks(con):
        if " IN (" in text.upper():
            continue
        documented_table = doc.get(table)
        entry = documented_table.column(column) if documented_table else None
        if entry is None:
            continue
        cell_numbers = {normalise_value(n) for n in _BOUND.findall(entry.accepted)}
        for bound in _BOUND.findall(text):
            if normalise_value(bound) not in cell_numbers:
                problems.append(
                    f"{table}.{column}: the schema checks {text}, its accepted values "
                    f"({entry.accepted!r}) do not state the bound {bound}"
                )
    return problems


def all_problems(
    doc_text: str, live: dict[str, LiveTable], checks: Checks, con: duckdb.DuckDBPyConnection
) -> list[str]:
    doc = parse_warehouse_doc(doc_text)
    return [
        *table_problems(doc, live),
        *column_problems(doc, live),
        *type_problems(doc, live),
        *accepted_value_problems(doc, checks),
        *range_check_problems(doc, con),
    ]


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory warehouse made by the project's own schema loader."""
    connection = duckdb.connect(":memory:")
    apply_schema(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def live(con: duckdb.DuckDBPyConnection) -> dict[str, LiveTable]:
    return live_schema(con)


@pytest.fixture(scope="module")
def checks() -> Checks:
    return sql_in_checks(schema_sql())


@pytest.fixture(scope="module")
def doc_text() -> str:
    return WAREHOUSE_DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(doc_text: str) -> dict[str, DocTable]:
    return parse_warehouse_doc(doc_text)


def _report(problems: list[str]) -> str:
    return "docs/warehouse.md is out of date:\n" + "\n".join(f"  - {p}" for p in problems)


# --- docs/warehouse.md against the live schema -------------------------------------------


def test_every_table_and_view_is_documented(
    doc: dict[str, DocTable], live: dict[str, LiveTable]
) -> None:
    assert any(t.is_view for t in live.values()), "the schema loader created no view"
    problems = table_problems(doc, live)
    assert not problems, _report(problems)


def test_every_column_is_documented_and_exists(
    doc: dict[str, DocTable], live: dict[str, LiveTable]
) -> None:
    problems = column_problems(doc, live)
    assert not problems, _report(problems)


def test_documented_types_match_the_schema(
    doc: dict[str, DocTable], live: dict[str, LiveTable]
) -> None:
    problems = type_problems(doc, live)
    assert not problems, _report(problems)


def test_accepted_values_equal_the_check_constraints(
    doc: dict[str, DocTable], checks: Checks
) -> None:
    problems = accepted_value_problems(doc, checks)
    assert not problems, _report(problems)


def test_range_checks_state_their_bounds(
    doc: dict[str, DocTable], con: duckdb.DuckDBPyConnection
) -> None:
    problems = range_check_problems(doc, con)
    assert not problems, _report(problems)


def test_check_parser_reads_every_in_constraint(
    checks: Checks, con: duckdb.DuckDBPyConnection
) -> None:
    """The .sql parser must see every IN-list CHECK DuckDB enforces, or drift goes unseen."""
    enforced = {(t, c) for t, c, text in live_checks(con) if " IN (" in text.upper()}
    assert enforced, "no IN-list CHECK constraint in the live schema"
    assert set(checks) == enforced, (
        f"parsed from warehouse/schema/*.sql: {sorted(checks)}; enforced: {sorted(enforced)}"
    )
    assert checks[("documents", "pfs_month_days")] == {"30", "30.4375"}


# --- the checker itself catches drift ----------------------------------------------------


def _without_row(text: str, table: str, column: str) -> str:
    """The doc with one column's row taken out of one table's section."""
    lines = text.splitlines()
    start = lines.index(f"## {table}")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith(f"| {column} |"):
            return "\n".join(lines[:i] + lines[i + 1 :])
    raise AssertionError(f"{table}.{column} has no row in the doc")


def test_checker_catches_a_missing_column(
    doc_text: str, live: dict[str, LiveTable], checks: Checks, con: duckdb.DuckDBPyConnection
) -> None:
    assert all_problems(doc_text, live, checks, con) == []
    problems = all_problems(_without_row(doc_text, "drug_exposures", "route"), live, checks, con)
    assert problems == ["drug_exposures.route: in the schema, not documented"]


def test_checker_catches_a_column_the_schema_lacks(
    doc_text: str, live: dict[str, LiveTable], checks: Checks, con: duckdb.DuckDBPyConnection
) -> None:
    row = "| dose_unit | varchar |"
    extra = "| dose_form | varchar | tablet or vial | | text | `tablet` |\n"
    changed = doc_text.replace(row, extra + row, 1)
    assert all_problems(changed, live, checks, con) == [
        "drug_exposures.dose_form: documented, but drug_exposures has no such column"
    ]


def test_checker_catches_a_wrong_type_and_a_missing_accepted_value(
    doc_text: str, live: dict[str, LiveTable], checks: Checks, con: duckdb.DuckDBPyConnection
) -> None:
    changed = doc_text.replace("| n_pages | integer |", "| n_pages | varchar |", 1).replace(
        "`pfs_mismatch`, `response_mismatch`, ", "`pfs_mismatch`, ", 1
    )
    problems = all_problems(changed, live, checks, con)
    assert len(problems) == 2, problems
    assert problems[0] == "documents.n_pages: documented as 'varchar', the schema has INTEGER"
    assert problems[1].startswith("audit_findings.kind: accepted values documented as")
    assert "undocumented: ['response_mismatch']" in problems[1]


def test_checker_catches_an_undocumented_table_and_a_view_heading(
    doc_text: str, live: dict[str, LiveTable], checks: Checks, con: duckdb.DuckDBPyConnection
) -> None:
    changed = doc_text.replace("## warehouse_meta", "## warehouse_facts", 1).replace(
        "## pfs_by_line (view)", "## pfs_by_line", 1
    )
    problems = all_problems(changed, live, checks, con)
    assert "warehouse_meta: table of the warehouse not documented (## warehouse_meta)" in problems
    assert "pfs_by_line: is a view, documented as a table" in problems
    assert "warehouse_facts: documented, but the warehouse has no such table or view" in problems


def test_checker_refuses_a_malformed_table() -> None:
    broken = "\n".join(
        [
            "## documents",
            "",
            "| column | type | meaning |",
            "| --- | --- | --- |",
            "| doc_id | x | y |",
        ]
    )
    with pytest.raises(DocFormatError, match=r"## documents: table header"):
        parse_warehouse_doc(broken)


def test_type_normalisation() -> None:
    assert normalise_type("text") == normalise_type("VARCHAR") == "VARCHAR"
    assert normalise_type("text[]") == "VARCHAR[]"
    assert normalise_type("double precision") == "DOUBLE"
    assert normalise_type("date") != normalise_type("timestamp")


# --- the other reference tables of docs/warehouse.md ----------------------------------------


def _reference_table(text: str, heading: str) -> list[list[str]]:
    """Rows of the first markdown table under `heading` (a line of the doc, '### ...')."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    assert start is not None, f"docs/warehouse.md has no {heading!r}"
    i = start + 1
    while i < len(lines) and not lines[i].lstrip().startswith("|"):
        i += 1
    rows = []
    i += 2
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        rows.append(_cells(lines[i]))
        i += 1
    return rows


def test_every_mention_kind_has_its_value_documented(doc_text: str, checks: Checks) -> None:
    rows = _reference_table(doc_text, "### Mention kinds")
    kinds = {_name(r[0]) for r in rows}
    assert kinds == checks[("mentions", "kind")], (
        f"### Mention kinds lists {sorted(kinds)}; mentions.kind accepts "
        f"{sorted(checks[('mentions', 'kind')])}"
    )
    for row in rows:
        value_type = _name(row[1])
        assert isinstance(getattr(transform.records, value_type, None), type), (
            f"mention kind {_name(row[0])}: value type {value_type} is not a record of "
            "transform/records.py"
        )


def _extract_error_codes() -> set[str]:
    codes = set()
    pending: list[type[extract_errors.ExtractError]] = [extract_errors.ExtractError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    return codes


def test_every_extract_error_name_is_documented(doc_text: str) -> None:
    rows = _reference_table(doc_text, "Error names (`error`):")
    documented = {m for r in rows for m in _BACKTICKED.findall(r[0])}
    codes = _extract_error_codes()
    assert len(codes) > 1
    missing = sorted(codes - documented)
    assert not missing, f"ingest_failures.error names not in docs/warehouse.md: {missing}"


# --- README.md and docs/*.md name only files of the repository ---------------------------

_LINK = re.compile(r"\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
PATH_SUFFIXES = (".md", ".py", ".sql", ".yaml", ".yml", ".json", ".jsonl", ".toml", ".tsv")
"""A backticked word ending so is a file name, wherever it is."""
_NOT_A_PATH = re.compile(r"[\s<>$*?=\[\]{}()'\"]")
_PY_REFERENCE = re.compile(r"^(?P<path>[\w./-]+\.py):(?P<name>\w+)$")


@dataclass(frozen=True)
class PathReference:
    text: str
    """As written."""
    path: Path
    """Resolved."""
    name: str | None = None
    """`module.py:name`: the function, class or constant named in the module."""


def _top_level_names() -> set[str]:
    return {p.name for p in ROOT.iterdir()}


def _inline_code(text: str) -> list[str]:
    return _BACKTICKED.findall(_FENCE.sub("", text))


def path_references(doc: Path, text: str) -> list[PathReference]:
    """Relative links (resolved from the doc's folder) and backticked paths (from the root)."""
    refs: list[PathReference] = []
    for target in _LINK.findall(_FENCE.sub("", text)):
        if _SCHEME.match(target) or target.startswith("#"):
            continue
        relative = target.split("#", 1)[0]
        refs.append(PathReference(target, (doc.parent / relative).resolve()))
    top = _top_level_names()
    for code in _inline_code(text):
        if _NOT_A_PATH.search(code) or code.startswith(("-", "/")) or "://" in code:
            continue
        py = _PY_REFERENCE.match(code)
        path, name = (py.group("path"), py.group("name")) if py else (code, None)
        first = path.split("/", 1)[0]
        relative = path.startswith(("./", "../"))
        if relative or ("/" in path and first in top) or path.endswith(PATH_SUFFIXES):
            refs.append(PathReference(code, (ROOT / path).resolve(), name))
    return refs


def _defines(module: Path, name: str) -> bool:
    source = module.read_text(encoding="utf-8")
    pattern = rf"^\s*(?:def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*[:=]"
    return re.search(pattern, source, re.M) is not None


def reference_problems(doc: Path, text: str) -> list[str]:
    problems: list[str] = []
    where = doc.relative_to(ROOT)
    for ref in path_references(doc, text):
        if not ref.path.is_relative_to(ROOT):
            problems.append(f"{where}: `{ref.text}` is outside the repository")
        elif not ref.path.exists():
            problems.append(f"{where}: `{ref.text}` does not exist in the repository")
        elif ref.name is not None and not _defines(ref.path, ref.name):
            problems.append(f"{where}: `{ref.text}`: {ref.path.name} defines no {ref.name}")
    return problems


_CODE_NAME = re.compile(r"`(_[a-z]\w*|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z][a-z]\w*\.\w+)`")
"""A backticked private function (`_closing`), constant (`REGIMEN_WINDOW_DAYS`) or class
attribute (`LineRules.progression_marks_onset`): code, not a column or a cue label."""
_SECTION = re.compile(r"^## ", re.M)


def _defines_code_name(modules: list[Path], name: str) -> bool:
    owner, _, attribute = name.partition(".")
    for module in modules:
        if not attribute and _defines(module, owner):
            return True
        if attribute and _defines(module, owner):
            source = module.read_text(encoding="utf-8")
            if re.search(rf"^\s+{re.escape(attribute)}\s*[:=]", source, re.M):
                return True
    return False


def code_name_problems(doc: Path, text: str) -> list[str]:
    """Names of functions and constants must exist in a module their section cites."""
    problems: list[str] = []
    where = doc.relative_to(ROOT)
    for section in _SECTION.split(text):
        title = section.splitlines()[0] if section.strip() else ""
        modules = [
            r.path
            for r in path_references(doc, section)
            if r.path.suffix == ".py" and r.path.is_file()
        ]
        for name in dict.fromkeys(_CODE_NAME.findall(_FENCE.sub("", section))):
            if not _defines_code_name(modules, name):
                cited = ", ".join(str(m.relative_to(ROOT)) for m in modules) or "no module"
                problems.append(f"{where}, ## {title}: `{name}` is not defined in {cited}")
    return problems


@pytest.mark.parametrize("doc", DOC_FILES[1:], ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_name_only_code_that_exists(doc: Path) -> None:
    """docs/*.md map the rules into the code (README's capitals are environment variables)."""
    problems = code_name_problems(doc, doc.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_code_name_checker_catches_a_renamed_function() -> None:
    text = (
        "## Lines\n\nImplemented in `transform/timeline/lines.py` (`_joins`, `_no_such_rule`,"
        " `REGIMEN_WINDOW_DAYS`, `LineRules.progression_marks_onset`, `LineRules.nothing`).\n"
    )
    assert code_name_problems(README, text) == [
        "README.md, ## Lines: `_no_such_rule` is not defined in transform/timeline/lines.py",
        "README.md, ## Lines: `LineRules.nothing` is not defined in transform/timeline/lines.py",
    ]


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_name_only_files_of_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    refs = path_references(doc, text)
    assert refs, f"{doc.name}: found no file references at all (is the parser broken?)"
    problems = reference_problems(doc, text)
    assert not problems, "\n".join(problems)


def test_readme_does_not_mention_shared() -> None:
    text = README.read_text(encoding="utf-8")
    for outside in ("../shared", "/work/shared"):
        assert outside not in text, f"README.md mentions {outside}, which a clone does not have"


def test_reference_checker_catches_a_missing_file() -> None:
    text = (
        "See `docs/nowhere.md`, [the spec](SPEC-missing.md), `../shared/gold/x.yaml`, "
        "`load/schema.py:apply_schema`, `load/schema.py:no_such_function` and `caselines query`."
    )
    problems = reference_problems(README, text)
    assert problems == [
        "README.md: `SPEC-missing.md` does not exist in the repository",
        "README.md: `docs/nowhere.md` does not exist in the repository",
        "README.md: `../shared/gold/x.yaml` is outside the repository",
        "README.md: `load/schema.py:no_such_function`: schema.py defines no no_such_function",
    ]
