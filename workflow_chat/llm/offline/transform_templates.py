"""Jinja templates for transform steps ("extract the id and title fields", "convert to CSV").

Field names and filter values come from the request but are plain identifiers or words
(checked where they are found), so they are safe to place inside the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TransformPlan:
    base_id: str
    label: str
    template: str
    parse_json: bool
    explain: str
    guessed: bool  # the template is a starting point the person should adjust


def transform_plan(params: dict[str, Any], source: str, source_is_text: bool) -> TransformPlan:
    """The template for the verb and format found, reading the `source` expression."""
    verb = str(params.get("verb") or "transform")
    fmt = params.get("format")
    # Text (an LLM answer) is handled line by line, parsed JSON item by item.
    items = f"{source}.splitlines()" if source_is_text else source
    if verb == "extract":
        fields = list(params.get("fields") or ["id", "title"])
        return _fields([(f, f) for f in fields], source)
    if verb == "rename" and params.get("pairs"):
        return _fields([tuple(pair) for pair in params["pairs"]], source, keep_rest=True)
    if verb == "filter" and params.get("where"):
        field, value = params["where"]
        selected = f"{source} | selectattr('{field}', 'equalto', '{value}')"
        template = f"{{{{ {selected} | list | tojson }}}}"
        return TransformPlan("filter", f"Filter {field} = {value}", template, True,
                             f"keeps the items whose `{field}` is `{value}`", False)
    if verb == "filter":
        template = f"{{{{ {items} | select | list | tojson }}}}"
        return TransformPlan("filter", "Filter items", template, True,
                             "drops empty items; edit the template to filter on a field", True)
    if fmt == "json":
        return TransformPlan(verb, "Format as JSON", f"{{{{ {source} | tojson(indent=2) }}}}",
                             False, "turns the data into indented JSON", False)
    if fmt == "csv":
        template = (
            f"{{% for row in {items} %}}"
            "{{ row.values() | join(',') if row is mapping else row }}\n{% endfor %}"
        )
        return TransformPlan(verb, "Convert to CSV", template, False,
                             "writes one CSV line per item", False)
    if fmt == "table":
        return TransformPlan(verb, "Format as a table", rows_of(source, source_is_text) + _TABLE,
                             False, "lays the items out as a markdown table", False)
    if fmt == "list":
        template = f"{{% for item in {items} %}}- {{{{ item }}}}\n{{% endfor %}}"
        return TransformPlan(verb, "Format as a list", template, False,
                             "writes one bullet per item", False)
    parse = verb == "parse"
    label = "Parse JSON" if parse else f"{verb.capitalize()} data"
    explain = "parses the text as JSON" if parse else "passes the data through a template"
    return TransformPlan(verb, label, f"{{{{ {source} }}}}", parse, explain, not parse)


def rows_of(source: str, source_is_text: bool = False) -> str:
    """A `{% set rows %}` that makes the data a list: a single object becomes a list of one."""
    if source_is_text:
        return f"{{% set rows = {source}.splitlines() %}}"
    single = f"{source} is mapping or {source} is string"
    return f"{{% set rows = [{source}] if {single} else {source} %}}"


def _fields(pairs: list[tuple[str, str]], source: str, keep_rest: bool = False) -> TransformPlan:
    """Each item as a JSON object with the (new name, old name) pairs; `keep_rest` keeps the
    fields not named too (a rename), else only the named ones are kept."""
    cells = ", ".join(f'"{new}": {{{{ item.{old} | default(none) | tojson }}}}'
                      for new, old in pairs)
    olds = ", ".join(f"'{old}'" for _, old in pairs)
    rest = (f"{{% for key, value in item.items() if key not in [{olds}] %}}"
            ", {{ key | tojson }}: {{ value | tojson }}{% endfor %}") if keep_rest else ""
    template = (
        rows_of(source)
        + f"[{{% for item in rows %}}{{{cells}{rest} }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}]"
    )
    if keep_rest:
        moves = ", ".join(f"`{old}` to `{new}`" for new, old in pairs)
        return TransformPlan("rename", ("Rename " + ", ".join(o for _, o in pairs))[:60],
                             template, True, f"renames {moves} in each item", False)
    names = [new for new, _ in pairs]
    label = ("Extract " + ", ".join(names))[:60]
    explain = "keeps the fields " + ", ".join(f"`{f}`" for f in names) + " of each item"
    return TransformPlan("extract_fields", label, template, True, explain, False)


# A header from the first item's keys, then one row per item.
_TABLE = (
    "{% set head = rows[0] if rows and rows[0] is mapping else none %}"
    "{% if head %}| {{ head.keys() | join(' | ') }} |\n|{% for key in head %} --- |{% endfor %}\n"
    "{% endif %}{% for row in rows %}| {{ row.values() | join(' | ') if row is mapping else row }}"
    " |\n{% endfor %}"
)
