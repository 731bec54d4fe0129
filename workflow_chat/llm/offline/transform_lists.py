"""Jinja templates that work on a list as a whole: add up, average, count, sort, keep the top
N, flatten, remove duplicates, group.

A field named in the request ("by score") is a plain identifier (checked where it is found);
when none is named, the template uses a likely one and says it is a guess.
"""

from __future__ import annotations

from typing import Any

from workflow_chat.llm.offline.transform_templates import TransformPlan, rows_of

_DEFAULT_FIELDS = {"sum": "amount", "average": "amount", "flatten": "items", "group": "type"}
LIST_VERBS = frozenset({"sum", "average", "count", "sort", "top", "flatten", "dedupe", "group"})


def list_plan(params: dict[str, Any], source: str, source_is_text: bool) -> TransformPlan:
    """The template for a list verb in LIST_VERBS, reading the `source` expression."""
    verb = str(params["verb"])
    named = params.get("field")
    field = str(named or _DEFAULT_FIELDS.get(verb, ""))
    rows = rows_of(source, source_is_text)
    if verb in ("sum", "average"):
        return _aggregate(verb, field, params.get("group_by"), rows)
    if verb == "count":
        return TransformPlan("count", "Count items", f"{rows}{{{{ rows | length }}}}", True,
                             "counts the items", False)
    if verb == "flatten":
        template = f"{rows}{{{{ rows | map(attribute='{field}') | sum(start=[]) | tojson }}}}"
        return TransformPlan("flatten", f"Flatten {field}", template, True,
                             f"puts the `{field}` of every item into one list", named is None)
    if verb == "dedupe":
        return TransformPlan("dedupe", "Remove duplicates",
                             f"{rows}{{{{ rows | unique | list | tojson }}}}", True,
                             "drops repeated items", False)
    if verb == "group":
        template = f"{rows}{{{{ rows | groupby('{field}') | map('list') | list | tojson }}}}"
        return TransformPlan("group", f"Group by {field}", template, True,
                             f"groups the items by `{field}`", named is None)
    return _ordered(verb, params, rows, field)


def _aggregate(verb: str, field: str, group_by: str | None, rows: str) -> TransformPlan:
    """A total or an average of `field`, over all items or per `group_by` value (a JSON object).
    The field is read from the words, so the template is always marked as a guess."""
    word = "Total" if verb == "sum" else "Average"

    def value(items: str) -> str:
        total = f"{items} | sum(attribute='{field}')"
        return total if verb == "sum" else f"(({total}) / ({items} | length)) if {items} else 0"

    if group_by is None:
        return TransformPlan(verb, f"{word} {field}", f"{rows}{{{{ {value('rows')} }}}}", True,
                             f"works out the {word.lower()} of `{field}` over the items", True)
    template = (
        f"{rows}{{{{ '{{' }}}}{{% for group in rows | groupby('{group_by}') %}}"
        f"{{{{ group.grouper | string | tojson }}}}: {{{{ {value('group.list')} }}}}"
        "{% if not loop.last %}, {% endif %}{% endfor %}{{ '}' }}"
    )
    return TransformPlan(verb, f"{word} {field} by {group_by}", template, True,
                         f"works out the {word.lower()} of `{field}` for each `{group_by}`", True)


def _ordered(verb: str, params: dict[str, Any], rows: str, field: str) -> TransformPlan:
    """Sort, and for "top N" keep the first N (sorted first when a field is named)."""
    reverse = "true" if params.get("descending") else "false"
    order = f" | sort(attribute='{field}', reverse={reverse})" if field else ""
    if verb == "top":
        count = int(params.get("count") or 10)
        template = f"{rows}{{{{ (rows{order} | list)[:{count}] | tojson }}}}"
        how = f", ordered by `{field}`" if field else ""
        return TransformPlan("top", f"Keep top {count}", template, True,
                             f"keeps the first {count} items{how}", False)
    direction = "highest first" if params.get("descending") else "lowest first"
    if not field:
        return TransformPlan("sort", "Sort items", f"{rows}{{{{ rows | sort | list | tojson }}}}",
                             True, "sorts the items; name a field to sort on", True)
    return TransformPlan("sort", f"Sort by {field}", f"{rows}{{{{ rows{order} | list | tojson }}}}",
                         True, f"sorts the items by `{field}`, {direction}", False)
