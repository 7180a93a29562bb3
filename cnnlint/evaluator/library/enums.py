"""``enum.Enum`` subclasses: each plain class attribute becomes a member, an instance of the class
(torchvision's ``ResNet50_Weights.IMAGENET1K_V1``, whose ``verify`` checks ``isinstance(obj, cls)``).

An attribute bound to a value already given to a member (or equal to a number or string one has) is an alias
of that member (``DEFAULT = V2``), and calling the class looks a member up by its value, as Python does.  A class that writes its own
``__new__`` or ``__init__`` makes its members differently: its attributes are left as they are written.
"""

from __future__ import annotations

from ..values import Builtin, Class, Function, Instance, Ref, Unknown

ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
MIXED_BASES = frozenset({Ref("enum.IntEnum"), Ref("enum.StrEnum"), Ref("enum.IntFlag")})
#: the members' names, on the class: marks a class whose members were made
MEMBERS = "__members__"


def is_enum(cls: Class) -> bool:
    return any(isinstance(base, Ref) and base.qualname in ENUM_BASES for base in cls.mro())


def add_enum_members(cls: Class) -> None:
    if any(isinstance(c, Class) and ("__new__" in c.attrs or "__init__" in c.attrs) for c in cls.mro()):
        return
    bases = [b for c in cls.mro() if isinstance(c, Class) for b in c.bases] + cls.mro()
    if any(b in MIXED_BASES or (isinstance(b, Builtin) and b.name in ("str", "int")) for b in bases):
        return  # members that are their values (``class Format(str, Enum)``): library/pytypes.py
    members: dict = {}
    by_value: dict = {}
    for name, value in list(cls.attrs.items()):
        if name.startswith("_") or isinstance(value, (Function, Class)) or (
                isinstance(value, tuple) and len(value) == 2 and value[0] in ("staticmethod", "classmethod",
                                                                              "property")):
            continue
        # equal plain values alias as Python's do (A = 1; B = 1: B is A); other values by identity
        key = ("equal", value) if type(value) in (bool, int, float, str) else ("same", id(value))
        member = by_value.get(key)
        if member is None:
            member = by_value[key] = Instance(cls)
            member.attrs.update({"name": name, "value": value, "_name_": name, "_value_": value})
        members[name] = cls.attrs[name] = member
    cls.attrs[MEMBERS] = members


def enum_member(interp, cls: Class, args, kwargs, site):
    """``Color(1)``: the member whose value is 1."""
    if len(args) != 1 or kwargs:
        return Unknown(f"{cls.name}() with these arguments is not modelled", site)
    for member in cls.lookup(MEMBERS).values():
        same = interp.compare("Equal", member.attrs["value"], args[0], site)
        if same is True or member is args[0]:
            return member
        if isinstance(same, Unknown):
            return same
    return Unknown(f"{cls.name}() of a value none of its members has", site)
