"""The attribute names cnnlint says a torch layer may have (``hasattr(layer, name)`` is False outside them)
hold every attribute the installed torch's layers have."""

import os
import re

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from cnnlint.frontends.torch.attributes import may_have  # noqa: E402
from cnnlint.frontends.torch.layers import TORCH  # noqa: E402
from tests.test_engine_torch_oracle import CASES  # noqa: E402

_SET = re.compile(r"self\.([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)")
_REGISTERED = re.compile(r"register_(?:buffer|parameter|module)\(\s*['\"](\w+)['\"]")


def test_every_attribute_torch_nn_sets_or_registers_may_be_there():
    root = os.path.dirname(nn.modules.__file__)
    found = set(dir(nn.Module()))
    for name in os.listdir(root):
        if name.endswith(".py"):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            found |= set(_SET.findall(text)) | set(_REGISTERED.findall(text))
    assert sorted(n for n in found if not may_have(n)) == []


@pytest.mark.parametrize("layer", sorted(TORCH.builders))
def test_every_name_a_modelled_layer_class_has_may_be_there(layer):
    cls = getattr(nn, layer, None)
    assert cls is not None and [n for n in dir(cls) if not may_have(n)] == []


def test_every_attribute_of_the_layers_the_oracle_builds_may_be_there():
    missing = set()
    for case in CASES:
        try:
            module = eval(case.text, {"nn": nn})  # noqa: S307 - the oracle's own constructor text
        except Exception:  # a constructor PyTorch refuses holds no attributes
            continue
        missing |= {n for n in list(vars(module)) + dir(module) if not may_have(n)}
    assert sorted(missing) == []
