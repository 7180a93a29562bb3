"""bind_arguments binds as inspect does: the same arguments in the same order, or the same TypeError."""

import inspect

from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlint.frontends.keras.layers import KERAS, OPS
from cnnlint.frontends.signatures import bind_arguments
from cnnlint.frontends.torch.einops_layers import EINOPS
from cnnlint.frontends.torch.layers import FUNCTIONAL, TORCH

TABLES = (KERAS, OPS, TORCH, FUNCTIONAL, EINOPS)
#: (table, layer name) of every builder the front ends bind calls to
BUILDERS = sorted({(i, name) for i, table in enumerate(TABLES) for name in table.builders})


def by_inspect(signature, args, kwargs, defaults):
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        return "TypeError", str(exc)
    if defaults:
        bound.apply_defaults()
    return list(bound.arguments.items())


def by_fast_path(signature, args, kwargs, defaults):
    try:
        return list(bind_arguments(signature, args, kwargs, defaults).items())
    except TypeError as exc:
        return "TypeError", str(exc)


@st.composite
def calls(draw):
    table_index, name = draw(st.sampled_from(BUILDERS))
    signature = TABLES[table_index].signature(name)
    names = [p.name for p in signature.parameters.values()][1:]
    args = draw(st.lists(st.integers(0, 9), max_size=len(names) + 2))
    written = draw(st.lists(st.sampled_from(names + ["not_a_parameter", "**"]) if names else st.just("extra"),
                            max_size=4, unique=True))
    return signature, [name, *args], {key: draw(st.integers(0, 9)) for key in written}


@settings(max_examples=600, deadline=None)
@given(calls(), st.booleans())
def test_binds_as_inspect_binds(call, defaults):
    signature, args, kwargs = call
    assert by_fast_path(signature, args, kwargs, defaults) == by_inspect(signature, args, kwargs, defaults)


def test_every_parameter_kind():
    def builder(type_name, a, /, b, c=3, *rest, d, e=5, **more):
        return None

    signature = inspect.signature(builder)
    for args, kwargs in [(["L", 1, 2], {"d": 4}), (["L", 1, 2, 3, 4, 5], {"d": 4, "z": 0}),
                         (["L", 1], {"b": 2, "d": 4}), (["L"], {"a": 1, "b": 2, "d": 4}),
                         (["L", 1, 2], {"b": 2, "d": 4}), (["L", 1, 2], {}), (["L", 1, 2], {"d": 4, "a": 9})]:
        for defaults in (False, True):
            assert by_fast_path(signature, args, kwargs, defaults) == by_inspect(signature, args, kwargs, defaults)
