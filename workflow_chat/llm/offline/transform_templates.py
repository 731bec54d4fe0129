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
        return _fields(list(params.get("fields") or ["id", "title"]), source)
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
    if fmt == "list":
        template = f"{{% for item in {items} %}}- {{{{ item }}}}\n{{% endfor %}}"
        return TransformPlan(verb, "Format as a list", template, False,
                             "writes one bullet per item", False)
    parse = verb == "parse"
    label = "Parse JSON" if parse else f"{verb.capitalize()} data"
    explain = "parses the text as JSON" if parse else "passes the data through a template"
    return TransformPlan(verb, label, f"{{{{ {source} }}}}", parse, explain, not parse)


def _fields(fields: list[str], source: str) -> TransformPlan:
    # A single object is treated as a list of one, so the output is always a JSON list.
    pairs = ", ".join(f'"{f}": {{{{ item.{f} | default(none) | tojson }}}}' for f in fields)
    template = (
        f"{{% set rows = [{source}] if {source} is mapping or {source} is string "
        f"else {source} %}}"
        f"[{{% for item in rows %}}{{{pairs} }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}]"
    )
    label = ("Extract " + ", ".join(fields))[:60]
    explain = "keeps the fields " + ", ".join(f"`{f}`" for f in fields) + " of each item"
    return TransformPlan("extract_fields", label, template, True, explain, False)
