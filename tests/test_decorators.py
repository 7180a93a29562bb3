"""Decorators run when their def or class statement runs, for their effects and their value.

Each case is source text that real Python runs as the oracle (PyTorch builds the model); cnnlint reads the
same text and must agree exactly, or say with a CNN900 that it cannot: a registry a decorator fills is read
by the factories (timm's ``@register_model`` files the pretrained configurations ``build_model_with_cfg``
takes its number of classes from), and a decorator cnnlint cannot follow to the end leaves what it may have
filed unknown, never an empty registry that looks complete.
"""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest

pytest.importorskip("torch")

from cnnlint.runner import Options, lint_path  # noqa: E402
from tests.test_realworld_constructs import HEADER, agrees, lint, real  # noqa: E402

NET = """
class Net(nn.Module):
    def __init__(self, num_classes=1000, width=8):
        super().__init__()
        self.features = nn.Linear(3 * 32 * 32, width)
        self.head = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.head(self.features(x.flatten(1)))
"""


def test_a_registry_a_decorator_fills_is_read_by_the_factory():
    # what cnnlint did not run left CONFIGS empty: 1,000 classes where Python builds 10
    agrees(NET + textwrap.dedent("""
    CONFIGS = {}

    def register(**cfg):
        def add(fn):
            CONFIGS[fn.__name__] = cfg
            return fn
        return add

    def build(name, **kwargs):
        return Net(**{**CONFIGS.get(name, {}), **kwargs})

    @register(num_classes=10, width=16)
    def net_small():
        return build("net_small")
    """), "net_small")


def test_a_decorator_returning_a_wrapper_registers_and_the_original_stands_for_the_wrapper():
    # the wrapper passes its call on (functools.wraps and **kwargs juggling, as torchvision's legacy interface)
    agrees(NET + textwrap.dedent("""
    import functools

    REGISTRY = {}

    def legacy(fn):
        REGISTRY[fn.__name__] = 7

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            kwargs.pop("pretrained", None)
            return fn(*args, **kwargs)
        return wrapper

    @legacy
    def net_legacy():
        return Net(num_classes=REGISTRY["net_legacy"])
    """), "net_legacy")


def test_class_decorators_and_method_decorators_run():
    # a class registered by a decorator that returns it; a property with a setter keeps its getter
    agrees("""
    LEAF_MODULES = set()
    WIDTHS = {}

    def leaf(cls):
        LEAF_MODULES.add(cls)
        WIDTHS[cls.__name__] = 12
        return cls

    @leaf
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self._width = WIDTHS["Block"]
            self.fc = nn.Linear(3 * 32 * 32, self.width)

        @property
        def width(self):
            return self._width

        @width.setter
        def width(self, value):
            self._width = value

        def forward(self, x):
            return self.fc(x.flatten(1))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.out = nn.Linear(12, 5 if Block in LEAF_MODULES else 6)

        def forward(self, x):
            return self.out(self.block(x))
    """, "Net")


def test_a_decorator_returning_plain_data_replaces_the_function():
    # Python binds what the decorator returns: here a number, read as a layer size
    agrees("""
    def width_of(fn):
        return fn() * 2

    @width_of
    def WIDTH():
        return 6

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3 * 32 * 32, WIDTH)

        def forward(self, x):
            return self.fc(x.flatten(1))
    """, "Net")


UNFOLLOWED = {
    # the registering loop runs over what cnnlint cannot iterate (a signature's parameters)
    "a loop it cannot unroll": """
        def register(fn):
            for key, param in inspect.signature(fn).parameters.items():
                DEFAULTS[key] = param.default
            return fn
        """,
    # its value is one cnnlint cannot compute (inspect.unwrap is not modelled)
    "a result it cannot compute": """
        def register(fn):
            DEFAULTS["num_classes"] = 10
            return inspect.unwrap(fn)
        """,
    # which function the decorator is cnnlint cannot tell (what inspect.unwrap gives is not modelled)
    "a decorator it cannot tell": """
        def make_register():
            def register(fn):
                DEFAULTS["num_classes"] = 10
                return fn
            return register

        register = inspect.unwrap(make_register())
        """,
    # the key it files under is one cnnlint cannot compute (read from the docstring)
    "a key it cannot compute": """
        def register(fn):
            DEFAULTS[fn.__doc__.split(":")[0]] = 10
            return fn
        """,
}


@pytest.mark.parametrize("case", sorted(UNFOLLOWED))
def test_a_decorator_cnnlint_cannot_follow_leaves_the_model_null_not_wrong(case):
    # Python builds 10 classes; an empty DEFAULTS would make cnnlint report the default 1,000 as exact
    source = HEADER + NET + textwrap.dedent("""
        import inspect

        DEFAULTS = {}
        """) + textwrap.dedent(UNFOLLOWED[case]) + textwrap.dedent("""
        @register
        def net(num_classes=10):
            '''num_classes: the size of the head'''
            return Net(num_classes=DEFAULTS.get("num_classes", 1000))
        """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    assert real(namespace["net"](), (3, 32, 32)) == (3 * 32 * 32 * 8 + 8 + 8 * 10 + 10, [10])
    report, notes = lint(source, "net", (3, 32, 32))
    assert report.total_params is None and report.output_shape is None, report
    assert notes, "a null model is explained by a CNN900"


def test_a_decorator_a_library_made_from_plain_data_reaches_none_of_the_projects_dicts():
    # detectron2's BACKBONE_REGISTRY = Registry("BACKBONE") then @BACKBONE_REGISTRY.register(), with a library
    # object Python has: made from a name, it reaches only the library's own state
    agrees("""
    import logging

    WIDTHS = {"net": 12}
    LOG = logging.getLogger("zoo")

    @LOG.addFilter
    def keep(record):
        return True

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3 * 32 * 32, WIDTHS["net"])

        def forward(self, x):
            return self.fc(x.flatten(1))
    """, "Net")


def test_a_library_decorator_is_not_run_and_keeps_the_function():
    agrees(NET + textwrap.dedent("""
    @torch.no_grad()
    def net_eval():
        return Net(num_classes=4)
    """), "net_eval")


def test_the_containers_registries_are_built_from_behave_as_pythons():
    # a defaultdict's missing key read with [] stores the factory's value; a deque has a left end and is no list
    agrees("""
    import collections

    GROUPS = collections.defaultdict(list)
    for name, width in [("a", 2), ("b", 3), ("a", 4)]:
        GROUPS[name].append(width)
    ORDER = collections.deque([1, 2, 3])
    ORDER.rotate(1)
    ORDER.appendleft(5)
    ORDER.extendleft([6, 7])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            width = sum(GROUPS["a"]) + len(GROUPS["c"]) * 100 + len(GROUPS) + ORDER[0] + ORDER.popleft() + ORDER[0]
            width += (50 if isinstance(ORDER, list) else 0) + (70 if ORDER == list(ORDER) else 0)
            self.fc = nn.Linear(3 * 32 * 32, width + GROUPS.get("d", [1])[0])

        def forward(self, x):
            return self.fc(x.flatten(1))
    """, "Net")


# -- timm's registry, in a package of its own -------------------------------------------------------------------

REGISTRY = '''
import sys
import warnings
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from typing import Any, Deque, Dict, Optional, Tuple


@dataclass
class PretrainedCfg:
    url: Optional[str] = None
    hf_hub_id: Optional[str] = None
    architecture: Optional[str] = None
    tag: Optional[str] = None
    input_size: Tuple[int, int, int] = (3, 224, 224)
    fixed_input_size: bool = False
    num_classes: int = 1000

    @property
    def has_weights(self):
        return self.url or self.hf_hub_id


@dataclass
class DefaultCfg:
    tags: Deque[str] = field(default_factory=deque)
    cfgs: Dict[str, PretrainedCfg] = field(default_factory=dict)
    is_pretrained: bool = False


_model_entrypoints = {}
_model_pretrained_cfgs: Dict[str, PretrainedCfg] = {}
_model_with_tags = defaultdict(list)


def generate_default_cfgs(cfgs):
    out = defaultdict(DefaultCfg)
    default_set = set()
    for k, v in cfgs.items():
        if isinstance(v, dict):
            v = PretrainedCfg(**v)
        has_weights = v.has_weights
        model, *tag_list = k.split('.', 1)
        tag = tag_list[0] if tag_list else ''
        is_default_set = model in default_set
        priority = (has_weights and not tag) or (tag.endswith('*') and not is_default_set)
        tag = tag.strip('*')
        default_cfg = out[model]
        if priority:
            default_cfg.tags.appendleft(tag)
            default_set.add(model)
        elif has_weights and not default_cfg.is_pretrained:
            default_cfg.tags.appendleft(tag)
        else:
            default_cfg.tags.append(tag)
        if has_weights:
            default_cfg.is_pretrained = True
        default_cfg.cfgs[tag] = v
    return out


def register_model(fn):
    mod = sys.modules[fn.__module__]
    model_name = fn.__name__
    if hasattr(mod, '__all__'):
        if model_name not in mod.__all__:
            mod.__all__.append(model_name)
    else:
        mod.__all__ = [model_name]
    if model_name in _model_entrypoints:
        warnings.warn(f'Overwriting {model_name} in registry.', stacklevel=2)
    _model_entrypoints[model_name] = fn
    if hasattr(mod, 'default_cfgs') and model_name in mod.default_cfgs:
        default_cfg = mod.default_cfgs[model_name]
        for tag_idx, tag in enumerate(default_cfg.tags):
            pretrained_cfg = replace(default_cfg.cfgs[tag], architecture=model_name, tag=tag or None)
            if tag_idx == 0:
                _model_pretrained_cfgs[model_name] = pretrained_cfg
            _model_with_tags[model_name].append('.'.join([model_name, tag]) if tag else model_name)
    return fn


def build_model_with_cfg(model_cls, variant, **kwargs):
    cfg = _model_pretrained_cfgs[variant] if variant in _model_pretrained_cfgs else PretrainedCfg()
    kwargs.setdefault('num_classes', cfg.num_classes)
    if cfg.fixed_input_size:
        kwargs.setdefault('img_size', cfg.input_size[-1])
    return model_cls(**kwargs)
'''

MODELS = '''
import torch.nn as nn

from .registry import build_model_with_cfg, generate_default_cfgs, register_model

__all__ = ['Net']


class Net(nn.Module):
    def __init__(self, num_classes=1000, img_size=32, width=8):
        super().__init__()
        self.features = nn.Linear(3 * img_size * img_size, width)
        self.head = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.head(self.features(x.flatten(1)))


def _cfg(url='', **kwargs):
    return {'url': url, 'num_classes': 1000, 'input_size': (3, 32, 32), **kwargs}


default_cfgs = generate_default_cfgs({
    'net_tiny.in22k': _cfg(hf_hub_id='hub/', num_classes=21841),
    'net_tiny.in1k': _cfg(hf_hub_id='hub/'),
    'net_fixed.in1k': _cfg(hf_hub_id='hub/', input_size=(3, 16, 16), fixed_input_size=True, num_classes=3),
    'net_untagged': _cfg(num_classes=5),
})


@register_model
def net_tiny(pretrained=False, **kwargs):
    return build_model_with_cfg(Net, 'net_tiny', **kwargs)


@register_model
def net_fixed(pretrained=False, **kwargs):
    return build_model_with_cfg(Net, 'net_fixed', width=4, **kwargs)


@register_model
def net_untagged(pretrained=False, **kwargs):
    return build_model_with_cfg(Net, 'net_untagged', **kwargs)


@register_model
def net_unregistered(pretrained=False, **kwargs):
    return build_model_with_cfg(Net, 'net_unregistered', **kwargs)
'''


PLAIN = '''
import torch.nn as nn

from .registry import build_model_with_cfg, register_model


class Small(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.head = nn.Linear(4, num_classes)

    def forward(self, x):
        return self.head(x)


@register_model
def small_net(pretrained=False, **kwargs):
    return build_model_with_cfg(Small, 'small_net', **kwargs)


class Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1, len(__all__) + (10 if __all__[0] == 'small_net' else 0))

    def forward(self, x):
        return self.fc(x)
'''


@pytest.fixture
def timm_like(tmp_path, monkeypatch):
    """A package laid out as timm's models are; its module imported by real Python as the oracle."""
    package = tmp_path / "zoo_decorated"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "registry.py").write_text(REGISTRY)
    (package / "models.py").write_text(MODELS)
    (package / "plain.py").write_text(PLAIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("zoo_decorated")]:
        monkeypatch.delitem(sys.modules, name)
    return package / "models.py", importlib.import_module("zoo_decorated.models")


@pytest.mark.parametrize("name,input_shape", [("net_tiny", (3, 32, 32)), ("net_fixed", (3, 16, 16)),
                                              ("net_untagged", (3, 32, 32)), ("net_unregistered", (3, 32, 32))])
def test_timms_register_model_files_the_pretrained_configurations_the_factories_read(timm_like, name, input_shape):
    path, module = timm_like
    result = lint_path(str(path), Options(model=name, input_shape=input_shape))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    (report,) = result.models
    assert (report.total_params, report.output_shape) == real(getattr(module, name)(), input_shape), [
        d.message for d in result.diagnostics]


def test_register_model_extends_the_modules_all_as_python_does(timm_like):
    path, module = timm_like
    assert module.__all__ == ["Net", "net_tiny", "net_fixed", "net_untagged", "net_unregistered"]
    source = path.read_text() + "\nclass Probe(nn.Module):\n    def __init__(self):\n        super().__init__()\n" \
        "        self.fc = nn.Linear(1, len(__all__))\n\n    def forward(self, x):\n        return self.fc(x)\n"
    path.write_text(source)
    result = lint_path(str(path), Options(model="Probe", input_shape=(1,)))
    (report,) = result.models
    assert report.output_shape == [len(module.__all__)]


@pytest.mark.parametrize("name,input_shape", [("small_net", (4,)), ("Probe", (1,))])
def test_register_model_gives_a_module_without_all_or_configurations_its_all(timm_like, name, input_shape):
    path, _ = timm_like
    module = importlib.import_module("zoo_decorated.plain")
    assert module.__all__ == ["small_net"]
    result = lint_path(str(path.with_name("plain.py")), Options(model=name, input_shape=input_shape))
    (report,) = result.models
    assert (report.total_params, report.output_shape) == real(getattr(module, name)(), input_shape)
