"""Text for the explorer page, made wherever page data is made (a post's fragment, the
assembly, the page itself): JSON that is safe inside a <script> element, and node labels.
"""
import json

from kg.lexicon import has_cjk


def script_json(value) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can close the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def display_label(name: str, aliases: list[str]) -> str:
    """English name with its Chinese name below it, or the reverse, when both are known."""
    if has_cjk(name):
        other = next((a for a in aliases if not has_cjk(a) and len(a) <= 24), None)
    else:   # a Chinese name of its own (华为), not a suffixed form of the Latin one (IBM公司)
        other = next((a for a in aliases if has_cjk(a) and not any(ch.isascii() and ch.isalpha() for ch in a)
                      and len(a) <= 12), None)
    return f"{name}\n{other}" if other else name
