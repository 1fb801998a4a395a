"""The code's own checks, run by the one test command: ruff (style, bugs, function size),
mypy (types), import-linter (each stage imports only the stages before it: pyproject.toml)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return str(found)


@pytest.mark.parametrize("command", [
    ["ruff", "check", "kg", "tests", "bench"],
    ["mypy"],
    ["lint-imports"],
], ids=["ruff", "mypy", "import-contract"])
def test_code_passes_its_checks(command):
    done = subprocess.run([_tool(command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_code_functions_and_classes_stay_small_enough_to_read():
    """No function over 60 lines, no class over 250: a stage reads as the steps it takes."""
    import ast
    too_long = []
    for path in sorted((ROOT / "kg").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > (250 if isinstance(node, ast.ClassDef) else 60):
                    too_long.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    assert too_long == []


def test_the_rules_extraction_reads_are_read_and_compiled_once_per_process():
    """Extraction asks for its rules at every entry: each loader hands back what it made the
    first time (a loader that read its files again would make every post hundreds of times slower)."""
    from kg.funding import load_funding_words
    from kg.lexicon import load_lexicon
    from kg.mentions import load_name_rules, load_name_words
    from kg.relations import load_clause_words, load_confidence, load_pronouns, load_relation_rules
    for load in (load_funding_words, load_lexicon, load_name_rules, load_name_words, load_clause_words,
                 load_confidence, load_pronouns, load_relation_rules):
        assert load() is load(), load.__name__


def test_every_relation_pattern_compiles():
    """Patterns are compiled at their first use (RelationPattern.regex): here all of them are."""
    from kg.relations import load_relation_rules
    patterns = load_relation_rules().patterns
    assert len(patterns) > 100 and all(pattern.regex.groupindex for pattern in patterns)
