"""Formula lint: the portability rules of :mod:`medrisk_xl.workbook.formulas`, checked on text.

:func:`lint_formula` returns what is wrong with one formula (an empty list when it is portable);
:func:`lint_rule` does the same for a conditional-format rule, which may also not name a sheet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from openpyxl.formula.tokenizer import Token, Tokenizer

from medrisk_xl.core.message_templates import Message, msg
from medrisk_xl.workbook.contract import ALLOWED_FUNCTIONS, RANGE_FUNCTIONS

_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?\d+$")
# The argument of each function that is a criterion or lookup value: it must be a number, since
# a text criterion would read wildcards (* ? ~) and leading operators.
_CRITERIA = {"COUNTIF": (1,), "MATCH": (0,)}


@dataclass
class _Call:
    name: str
    args: list[list[Token]] = field(default_factory=lambda: [[]])


def _is_range(token: Token, names: Mapping[str, str]) -> bool:
    """A reference to more than one cell (a defined name is resolved)."""
    ref = names.get(token.value.upper(), token.value)
    return ":" in ref


def _criterion_ok(arg: list[Token], names: Mapping[str, str], cell_ok: bool) -> bool:
    """A number literal; or, where ``cell_ok`` (MATCH with match type 1), a single cell."""
    if len(arg) == 1 and arg[0].subtype == Token.NUMBER:
        return True
    return cell_ok and len(arg) == 1 and arg[0].subtype == Token.RANGE and not _is_range(arg[0], names)


def lint_formula(formula: str, names: Mapping[str, str] | None = None) -> list[Message]:
    """Portability problems of ``formula``; ``names`` maps defined names to their reference."""
    names = {k.upper(): v for k, v in (names or {}).items()}
    problems: list[Message] = []
    stack: list[_Call] = [_Call("")]
    previous: Token | None = None
    for token in Tokenizer(formula).items:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper()
            if name not in ALLOWED_FUNCTIONS:
                problems.append(msg("lint.not-allowed", function=name))
            stack.append(_Call(name))
        elif token.type == Token.FUNC and token.subtype == Token.CLOSE:
            call = stack.pop()
            problems += _check_call(call, names)
            stack[-1].args[-1].append(token)
        elif token.type == Token.SEP and token.subtype == Token.ARG and len(stack) > 1:
            stack[-1].args.append([])
        else:
            if token.type == Token.OP_PRE and previous is not None and previous.type == Token.OP_PRE:
                problems.append(msg("lint.double-negation"))
            stack[-1].args[-1].append(token)
        previous = token
    problems += _check_call(stack[0], names)
    return problems


def _check_call(call: _Call, names: Mapping[str, str]) -> list[Message]:
    problems = []
    for i, arg in enumerate(call.args):
        ranges = [t for t in arg if t.type == Token.OPERAND and t.subtype == Token.RANGE]
        multi = [t.value for t in ranges if _is_range(t, names)]
        if not multi:
            pass
        elif call.name not in RANGE_FUNCTIONS:
            if call.name:
                problems.append(msg("lint.range-not-array", range=multi[0], function=call.name))
            else:
                problems.append(msg("lint.range-top-level", range=multi[0]))
        elif len(arg) > 1 and call.name != "SUMPRODUCT" and any(t.type == Token.OP_IN for t in arg):
            problems.append(msg("lint.range-operator", range=multi[0]))
        cell_ok = call.name == "MATCH"
        if call.name in _CRITERIA and i in _CRITERIA[call.name] and not _criterion_ok(arg, names, cell_ok):
            problems.append(msg("lint.text-criterion", function=call.name, n=i + 1))
        if call.name == "COUNTIFS" and i % 2 == 1 and not _criterion_ok(arg, names, False):
            problems.append(msg("lint.text-criterion", function="COUNTIFS", n=i + 1))
        if call.name == "MATCH" and i == 2 and [t.value for t in arg] != ["1"]:
            problems.append(msg("lint.match-type"))
    if call.name == "MATCH" and len(call.args) < 3:
        problems.append(msg("lint.match-type"))
    return problems


def lint_rule(formula: str, names: Mapping[str, str] | None = None) -> list[Message]:
    """Problems of a conditional-format rule: the formula's, and any reference to a sheet."""
    problems = lint_formula(formula, names)
    for token in Tokenizer(formula).items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE and "!" in token.value:
            problems.append(msg("lint.other-sheet", ref=token.value))
    return problems
