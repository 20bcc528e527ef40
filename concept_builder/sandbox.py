"""The Jinja environment every template runs in: data in, nothing out.

A template may come from a third party. It sees only plain data (text,
numbers, flags, lists, mappings, prepared Word fragments and opaque images)
and may call only the methods of text and the read-only helpers of lists and
mappings. Jinja's own sandbox already hides ``__class__`` and friends; this
one also refuses every other call, the globals that are not needed, and
repetitions or powers that would exhaust memory.
"""

from __future__ import annotations

import inspect
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace

MAX_EXPONENT = 100
MAX_REPEATED = 1_000_000

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


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, narrowed to what a document template needs."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # no cycler, joiner, lipsum or dict: nothing a template needs, and each a way in
        self.globals = {"range": safe_range, "namespace": Namespace}

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

    def is_safe_callable(self, obj: Any) -> bool:
        if obj is safe_range or obj is Namespace or isinstance(obj, (Macro, LoopContext, BlockReference)):
            return True
        method = inspect.unwrap(obj)  # str.format comes wrapped by Jinja's safe formatter
        owner = getattr(method, "__self__", None)
        return owner is not None and _allowed_method(owner, getattr(method, "__name__", ""))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"a template may not call {_name(__obj)}")
        return __context.call(__obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the power {right} is too large for a template")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                repeatable = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
                if repeatable and len(sequence) * count > MAX_REPEATED:
                    raise SecurityError(f"repeating a value {count} times is too much for a template")
        return super().call_binop(context, operator, left, right)


def _allowed_method(owner: Any, name: str) -> bool:
    if isinstance(owner, str):
        return True
    return any(isinstance(owner, kind) and name in names for kind, names in _READ_ONLY_METHODS.items())


def _name(obj: Any) -> str:
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    return repr(name) if name else f"a {type(obj).__name__}"
