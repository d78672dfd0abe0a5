"""Random well-typed CEL expressions for the differential test, from a seeded generator: ints,
uints, doubles, strings, bools and lists, over fixed bindings, with the operators, macros and
functions both implementations have. Errors arise on purpose (division by zero, overflow, an
index out of range, a missing key) and must agree too."""
import random

# The bindings, as Python values (for the other implementation) and in the conformance JSON
# form (for Postern's).
BINDINGS = {"x": 7, "y": -3, "z": 0, "d": 2.5, "s": "hello", "t": "W\u00f6rld", "l": [1, 2, 3, 4],
            "m": {"a": 1, "b": 2}, "b": True}


def conformance_form(value):
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"double": value}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, list):
        return {"list": [conformance_form(v) for v in value]}
    if isinstance(value, dict):
        return {"map": [{"key": conformance_form(k), "value": conformance_form(v)} for k, v in value.items()]}
    raise TypeError(value)


class Generator:
    def __init__(self, seed):
        self.random = random.Random(seed)

    def pick(self, *options):
        return self.random.choice(options)()

    def int(self, depth):
        r = self.random
        leaves = [lambda: str(r.choice([0, 1, 2, 3, 7, 100, 2 ** 31, 9223372036854775807])),
                  lambda: r.choice(["x", "y", "z"]), lambda: "-" + str(r.choice([1, 5, 9223372036854775807]))]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        return self.pick(
            *leaves,
            lambda: f"({self.int(d)} {r.choice('+-*/%')} {self.int(d)})",
            lambda: f"({self.bool(d)} ? {self.int(d)} : {self.int(d)})",
            # Not size(t): the other implementation counts a string's bytes (test_cel_differential.py).
            lambda: r.choice(["size(s)", "size(l)", "s.size()", "size(m)"]),
            lambda: f"l[{self.int(d)}]",
            lambda: r.choice(["m['a']", "m['b']", "m['c']", "m.a"]),
            lambda: f"int({self.double(d)})",
            lambda: f"int('{r.choice(['12', '-4', 'x', '9223372036854775808'])}')",
            lambda: f"-({self.int(d)})",
        )

    def uint(self, depth):
        r = self.random
        leaves = [lambda: f"{r.choice([0, 1, 5, 18446744073709551615])}u"]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        return self.pick(*leaves, lambda: f"({self.uint(d)} {r.choice('+-*/%')} {self.uint(d)})",
                         lambda: f"uint({self.int(d)})")

    def double(self, depth):
        r = self.random
        # No 0.0: NaN orders as an error in the other implementation (test_cel_differential.py).
        leaves = [lambda: r.choice(["2.5", "0.5", "-1.5", "1e10", "d", "0.1"])]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        return self.pick(*leaves, lambda: f"({self.double(d)} {r.choice('+-*/')} {self.double(d)})",
                         lambda: f"double({self.int(d)})",
                         lambda: f"({self.bool(d)} ? {self.double(d)} : {self.double(d)})")

    def string(self, depth):
        r = self.random
        leaves = [lambda: r.choice(["'abc'", "''", "s", "t", "'h'", "'\\u00f6'"])]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        return self.pick(*leaves, lambda: f"({self.string(d)} + {self.string(d)})", lambda: f"string({self.int(d)})",
                         lambda: f"({self.bool(d)} ? {self.string(d)} : {self.string(d)})")

    def list(self, depth):
        r = self.random
        leaves = [lambda: "l", lambda: "[]"]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        return self.pick(*leaves, lambda: f"[{self.int(d)}, {self.int(d)}]", lambda: f"({self.list(d)} + {self.list(d)})",
                         lambda: f"{self.list(d)}.map(v, v * {self.int(d)})",
                         lambda: f"{self.list(d)}.filter(v, v % 2 == {self.int(d)})")

    def bool(self, depth):
        r = self.random
        leaves = [lambda: r.choice(["true", "false", "b"])]
        if depth <= 0:
            return self.pick(*leaves)
        d = depth - 1
        compare = lambda kind: f"({getattr(self, kind)(d)} {r.choice(['==', '!=', '<', '<=', '>', '>='])} {getattr(self, kind)(d)})"
        return self.pick(
            *leaves,
            lambda: compare("int"), lambda: compare("uint"), lambda: compare("double"), lambda: compare("string"),
            lambda: f"({self.list(d)} {r.choice(['==', '!='])} {self.list(d)})",
            lambda: f"({self.bool(d)} {r.choice(['&&', '||'])} {self.bool(d)})",
            lambda: f"!{self.bool(d)}",
            lambda: f"({self.int(d)} in {self.list(d)})",
            lambda: f"({self.string(d)} in m)",
            lambda: r.choice(["has(m.a)", "has(m.c)"]),
            lambda: f"{self.string(d)}.{r.choice(['contains', 'startsWith', 'endsWith'])}({self.string(d)})",
            lambda: f"{self.list(d)}.{r.choice(['all', 'exists', 'exists_one'])}(v, v > {self.int(d)})",
            lambda: f"({self.bool(d)} ? {self.bool(d)} : {self.bool(d)})",
        )

    def expression(self):
        kind = self.random.choice(["int", "uint", "double", "string", "bool", "bool", "list"])
        return getattr(self, kind)(self.random.randint(1, 4))
