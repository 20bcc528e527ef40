"""The Jinja environment every template runs in: data in, nothing out.

A template may come from a third party. It sees only plain data (text,
numbers, flags, lists, mappings, prepared Word fragments and opaque images)
and may call only the methods of text and the read-only helpers of lists and
mappings. Jinja's own sandbox already hides ``__class__`` and friends; this
one also refuses every other call, the globals that are not needed, and
repetitions or powers that would exhaust memory.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Sized
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace

MAX_EXPONENT = 100
MAX_REPEATED = 1_000_000
MAX_TEXT = 10_000_000  # characters of one text a template makes; a value of the inputs has at most 50,000
MAX_WRAPPED = 100_000  # characters wordwrap takes: it is slow (1 MB in 23 s), and values are shorter
_LARGE_NUMBER = re.compile(r"\d{8,}")  # a width of MAX_TEXT or more in a format string
_STARRED = re.compile(r"%[-+ #0]*\*|%[^%a-zA-Z]*\.\*")  # '%*d' % (width, n): a width given as a value

# Methods a template may call besides those of text: reading, never changing.
_READ_ONLY_METHODS: dict[type, frozenset[str]] = {
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"index", "count"}),
    LoopContext: frozenset({"cycle", "changed"}),
}
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Opaque:
    """Base of values a template may print or pass on, but not look into (images)."""

    __slots__ = ()

    def __str__(self) -> str:
        # ``|string`` would otherwise print the class and a memory address of the building process
        return f"[{type(self).__name__}]"

    __repr__ = __str__


class _MeasuringCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` measured as the other ways of making text are."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # the template module sees its environment as ``environment``: the Sandbox below
        self.write("environment.measured_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, narrowed to what a document template needs."""

    code_generator_class = _MeasuringCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # no cycler, joiner, lipsum or dict: nothing a template needs, and each a way in
        self.globals = {"range": safe_range, "namespace": Namespace}
        # every text a filter makes is measured: replace, center, indent or format can make gigabytes
        self.filters = {name: _measured(name, function) for name, function in self.filters.items()}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``m.title`` on a mapping: its item, at once.

        Jinja tries the attribute first and takes the item when that raises;
        a plain dict has no attribute but its methods, so the item is what
        Jinja would find, without the exception (every value a template
        prints is looked up this way).
        """
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, Opaque):
            return False
        if callable(value) and not _allowed_method(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """A method a template may not call is named at once, not reported later as an undefined value."""
        if not attribute.startswith("_") and callable(getattr(obj, attribute, None)):
            raise SecurityError(
                f"a template may not call {type(obj).__name__}.{attribute}(): it reads values, never changes"
                " them (the methods of text, and items/keys/values/get of mappings, are allowed)"
            )
        return super().unsafe_undefined(obj, attribute)

    def is_safe_callable(self, obj: Any) -> bool:
        if obj is safe_range or obj is Namespace or isinstance(obj, (Macro, LoopContext, BlockReference)):
            return True
        method = inspect.unwrap(obj)  # str.format comes wrapped by Jinja's safe formatter
        owner = getattr(method, "__self__", None)
        return owner is not None and _allowed_method(owner, getattr(method, "__name__", ""))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"a template may not call {_name(__obj)}")
        owner = getattr(inspect.unwrap(__obj), "__self__", None)
        if isinstance(owner, str):
            _refuse_large_text(
                f"str.{getattr(__obj, '__name__', '')}", _predicted(owner, __obj, args, kwargs)
            )
        return _measured_text(_name(__obj), __context.call(__obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the power {right} is too large for a template")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                repeatable = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
                if repeatable and len(sequence) * count > MAX_REPEATED:
                    raise SecurityError(f"repeating a value {count} times is too much for a template")
        if operator == "+" and isinstance(left, str) and isinstance(right, str):
            _refuse_large_text("joining texts with +", len(left) + len(right))
        lists = isinstance(left, (list, tuple)) and isinstance(right, (list, tuple))
        if operator == "+" and lists and len(left) + len(right) > MAX_REPEATED:  # a list doubled in a loop
            raise SecurityError(
                f"joining lists of {len(left) + len(right):,} items is too much for a template"
            )
        if operator == "%" and isinstance(left, str):
            _refuse_large_text("the % formatting", _formatted_length(left, right))
        return _measured_text(f"the operator {operator}", super().call_binop(context, operator, left, right))

    @staticmethod
    def measured_concat(text: str) -> str:
        """The text ``a ~ b ~ …`` made, refused beyond what a template may make.

        Each part is a value or a text already measured, so the text made is
        at most a few of those long before it is measured.
        """
        return _measured_text("joining texts with ~", text)  # type: ignore[no-any-return]


def _allowed_method(owner: Any, name: str) -> bool:
    if isinstance(owner, str):
        return True
    return any(isinstance(owner, kind) and name in names for kind, names in _READ_ONLY_METHODS.items())


def _name(obj: Any) -> str:
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    return repr(name) if name else f"a {type(obj).__name__}"


# --- texts a template makes --------------------------------------------------------------------


def _refuse_large_text(what: str, characters: int) -> None:
    if characters > MAX_TEXT:
        raise SecurityError(
            f"{what} would make a text of {characters:,} characters; a template may make at most {MAX_TEXT:,}"
        )


def _measured_text(what: str, result: Any) -> Any:
    if isinstance(result, str):
        _refuse_large_text(what, len(result))
    return result


def _predicted(text: str, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """The length of what a method of ``text`` would make, where it can grow far beyond its inputs."""
    name = getattr(inspect.unwrap(method), "__name__", "")
    if name in ("format", "format_map"):
        return MAX_TEXT + 1 if _LARGE_NUMBER.search(text) else len(text)  # a field ten million wide
    try:
        bound = _text_method(name).bind(text, *args, **kwargs).arguments
    except (TypeError, ValueError, AttributeError):
        return len(text)  # a call str itself will refuse, or one that cannot grow
    if name == "replace" and isinstance(bound.get("old"), str) and isinstance(bound.get("new"), str):
        return _replaced_length(text, bound["old"], bound["new"], bound.get("count", -1))
    if name in ("center", "ljust", "rjust", "zfill") and isinstance(bound.get("width"), int):
        return max(len(text), int(bound["width"]))
    if name == "expandtabs" and isinstance(bound.get("tabsize", 8), int):
        return len(text) + text.count("\t") * max(int(bound.get("tabsize", 8)), 0)
    if name == "join" and isinstance(bound.get("iterable"), Sized):
        return len(text) * max(len(bound["iterable"]) - 1, 0)
    return len(text)


@functools.cache
def _text_method(name: str) -> inspect.Signature:
    return inspect.signature(getattr(str, name))


def _formatted_length(text: str, values: Any) -> int:
    """At least the length ``text % values`` would have: more than a template may make where a field
    is ten million wide or takes its width from a value that large."""
    if _LARGE_NUMBER.search(text):
        return MAX_TEXT + 1
    if _STARRED.search(text):
        widths = values if isinstance(values, tuple) else (values,)
        if any(isinstance(width, int) and abs(width) > MAX_TEXT for width in widths):
            return MAX_TEXT + 1
    return len(text)


def _replaced_length(text: str, old: str, new: str, count: Any) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _measured(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, a filter, refusing to make a text longer than a template may make.

    Where the text could grow beyond memory before it is measured, the
    arguments are measured first.
    """

    signature = inspect.signature(function)

    @functools.wraps(function)  # keeps Jinja's marks for the context or environment it passes
    def measured(*args: Any, **kwargs: Any) -> Any:
        try:
            arguments = signature.bind(*args, **kwargs).arguments
        except TypeError:
            arguments = {}
        _refuse_large_text(f"the filter {name}", _filter_length(name, arguments))
        return _measured_text(f"the filter {name}", function(*args, **kwargs))

    return measured


def _filter_length(name: str, arguments: dict[str, Any]) -> int:
    """The length of what a filter would make, where it may grow far beyond its input (else 0)."""
    if name == "join":
        separator, items = arguments.get("d", ""), arguments.get("value")
        if isinstance(separator, str) and isinstance(items, Sized):
            return len(separator) * max(len(items) - 1, 0)
        return 0
    text = arguments.get("s", arguments.get("value"))
    if not isinstance(text, str):
        return 0
    if name == "replace" and isinstance(arguments.get("old"), str) and isinstance(arguments.get("new"), str):
        return _replaced_length(text, arguments["old"], arguments["new"], arguments.get("count"))
    if name == "center" and isinstance(arguments.get("width", 80), int):
        return max(len(text), int(arguments.get("width", 80)))
    if name == "indent":
        width = arguments.get("width", 4)
        step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        return len(text) + (text.count("\n") + 1) * max(step, 0)
    if name == "wordwrap" and len(text) > MAX_WRAPPED:
        raise SecurityError(
            f"the filter wordwrap takes at most {MAX_WRAPPED:,} characters, not {len(text):,}"
        )
    if name == "format" and _LARGE_NUMBER.search(text):
        return MAX_TEXT + 1
    return len(text)
