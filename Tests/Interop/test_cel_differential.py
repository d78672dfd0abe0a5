"""Postern's CEL against an independent implementation, common-expression-language from PyPI
(Rust's cel-interpreter): thousands of random well-typed expressions (Tests/Interop/
cel_expressions.py, a fixed seed) evaluated by both; the results — a value or an error — must
agree on at least 99.9% of them, and every disagreement is listed. The other implementation's
two departures from the language definition found this way are kept out of the generator and
pinned by their own test below (docs/expressions.md, "Differential test")."""
import json
import math
import os
import pathlib
import subprocess

import cel

from cel_expressions import BINDINGS, Generator, conformance_form

BIN = pathlib.Path(os.environ.get("POSTERN_BIN_DIR") or pathlib.Path(__file__).resolve().parents[2] / ".build" / "release")
SEED = 20261205
COUNT = 10000


def postern_form(answer):
    """A Postern answer as a comparable value: ("error",) or a tagged value."""
    if "value" not in answer:
        return ("error",)
    return tagged_conformance(answer["value"])


def tagged_conformance(value):
    (kind, payload), = value.items()
    if kind in ("int", "uint"):
        return ("number", int(payload))
    if kind == "double":
        number = float(payload) if not isinstance(payload, str) else float(payload.replace("Infinity", "inf"))
        return ("double", "nan" if math.isnan(number) else number)
    if kind == "list":
        return ("list", tuple(tagged_conformance(v) for v in payload))
    if kind == "map":
        return ("map", frozenset((tagged_conformance(e["key"]), tagged_conformance(e["value"])) for e in payload))
    if kind == "null":
        return ("null",)
    return (kind, payload)


def tagged_python(value):
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("number", value)
    if isinstance(value, float):
        return ("double", "nan" if math.isnan(value) else value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, (list, tuple)):
        return ("list", tuple(tagged_python(v) for v in value))
    if isinstance(value, dict):
        return ("map", frozenset((tagged_python(k), tagged_python(v)) for k, v in value.items()))
    if value is None:
        return ("null",)
    return ("other", repr(value))


def other_implementation(expression):
    try:
        return tagged_python(cel.evaluate(expression, dict(BINDINGS)))
    except Exception:  # every failure of the other implementation is an error result
        return ("error",)


def test_postern_agrees_with_an_independent_cel_implementation():
    generator = Generator(SEED)
    expressions = [generator.expression() for _ in range(COUNT)]
    bindings = {name: conformance_form(value) for name, value in BINDINGS.items()}
    lines = "".join(json.dumps({"expr": e, "bindings": bindings}) + "\n" for e in expressions)
    run = subprocess.run([str(BIN / "postern-cel-conformance"), "--eval"], input=lines, capture_output=True, text=True,
                         timeout=300, check=True)
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == COUNT
    assert not [a for a in answers if "syntax_error" in a or "input_error" in a], "every generated expression parses"
    disagreements = []
    errors = 0
    for expression, answer in zip(expressions, answers):
        ours = postern_form(answer)
        theirs = other_implementation(expression)
        errors += ours == ("error",)
        if ours != theirs:
            disagreements.append(f"{expression}\n    postern: {answer}\n    other:   {theirs}")
    print(f"{COUNT} expressions, {errors} errors in Postern's answers, {len(disagreements)} disagreements")
    for line in disagreements[:40]:
        print(line)
    assert errors > COUNT // 50, "the generator still makes errors to compare"
    assert len(disagreements) <= COUNT // 1000, "\n".join(disagreements[:40])


def postern_eval(expression):
    run = subprocess.run([str(BIN / "postern-cel-conformance"), "--eval"], input=json.dumps({"expr": expression}) + "\n",
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout)


def test_where_the_other_implementation_departs_from_the_language_definition():
    """If one of these starts failing, the other implementation changed: look again at what
    the generator leaves out."""
    # size() of a string is its number of code points (langdef; cel-spec's conformance test
    # string/size/one_unicode): the other implementation counts UTF-8 bytes.
    assert postern_eval("size('\\u00f6')") == {"value": {"int": "1"}}
    assert cel.evaluate("size('\\u00f6')") == 2
    # Ordering with NaN is false, never an error (langdef; comparisons.json): the other
    # implementation has no overload for it.
    assert postern_eval("1.0 > 0.0 / 0.0") == {"value": {"bool": False}}
    try:
        cel.evaluate("1.0 > 0.0 / 0.0")
        raise AssertionError("the other implementation now orders NaN")
    except Exception as error:
        assert "No such overload" in str(error)
