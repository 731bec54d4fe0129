"""An LLM intent becomes a node config: the operation, its prompt, and what it hands on."""

from __future__ import annotations

from typing import Any

from workflow_chat.llm.offline.sentence import plain
from workflow_chat.llm.offline.step_types import Built, Context, Source, template

_LLM_NOUNS = {"summarise": "summary", "classify": "label", "translate": "translation",
              "extract": "extracted data", "generate": "draft"}
_PROMPTS = {
    "summarise": "Summarise the following in a few short bullet points.",
    "translate": "Translate the following into {language}.",
    "classify": "Classify the following as one of: {labels}. Answer with the label only.",
    "extract": "Extract {what} from the following. Answer with JSON.",
}


def build_llm(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    """An LLM step's label, config and explanation for one operation."""
    op, noun = str(p.get("operation", "generate")), ctx.source.noun
    config: dict[str, Any] = {"operation": op, "input": template(ctx.source)}
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    if op == "summarise":
        label, explain = "Summarise", f"An LLM summarises the {noun}."
    elif op == "classify":
        labels = tuple(p.get("labels") or ())
        config["labels"] = list(labels)
        label, explain = "Classify", f"An LLM labels the {noun} as {' / '.join(labels)}."
    elif op == "translate":
        config["target_language"] = p["language"]
        label, explain = f"Translate to {p['language']}", f"An LLM translates the {noun}."
        if not p.get("language_given"):
            notes = ("No language was named, so it translates into English.",)
    elif op == "extract":
        label, explain = f"Extract {p['what']}", f"An LLM extracts {p['what']} from the {noun}."
    elif p.get("request"):
        label, explain = "Answer the request", "An LLM works on your request as written."
        config["prompt"] = "Carry out this request: " + plain(str(p["request"]), 500)
    elif p.get("instruction"):  # any other verb: the request's own words are the prompt
        label = f"{str(p.get('verb')).capitalize()} {p.get('what')}".strip()
        config["prompt"] = str(p["instruction"])
        explain = f"An LLM is asked: “{config['prompt']}” (on the {noun})."
    else:
        label = f"{str(p.get('verb', 'write')).capitalize()} {p.get('what')}"
        explain = f"An LLM writes {p.get('what')} from the {noun}."
        config["prompt"] = f"Write {p.get('what')} based on the following."
    if "prompt" not in config:
        config["prompt"] = _PROMPTS[op].format(
            language=p.get("language"), labels=", ".join(labels), what=p.get("what")
        )
    made = "answer" if p.get("instruction") else _LLM_NOUNS.get(op, "text")
    output = Source(f"nodes.{node_id}.output.text", made, True, labels)
    return Built(label[:120], config, explain, notes, output)
