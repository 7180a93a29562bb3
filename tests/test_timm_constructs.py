"""timm's constructs, each in a small snippet that real PyTorch builds and runs as the oracle.

The snippets restate the idioms of timm's source (pretrained configurations copied with
``dataclasses.replace``, an attention path chosen by an environment variable, ``to_2tuple`` sizes);
cnnlint must agree with PyTorch exactly, or say it cannot.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from tests.test_realworld_constructs import agrees  # noqa: E402


def test_pretrained_config_copied_with_dataclasses_replace_and_asdict():
    # a field whose default is None is still a default; the copy keeps the fields not named
    agrees("""
        import dataclasses
        from dataclasses import dataclass, replace
        from typing import Optional, Tuple

        @dataclass
        class PretrainedCfg:
            url: Optional[str] = None
            architecture: Optional[str] = None
            input_size: Tuple[int, int, int] = (3, 224, 224)
            num_classes: int = 1000

        def filter_cfg(cfg):
            return {k: v for k, v in cfg.items() if v is not None}

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                cfg = replace(PretrainedCfg(), architecture="net", num_classes=10)
                self.pretrained_cfg = self.default_cfg = cfg
                self.cfg_dict = filter_cfg(dataclasses.asdict(cfg))
                self.fc = nn.Linear(3 * 32 * 32, self.cfg_dict["num_classes"] + cfg.input_size[0])

            def forward(self, x):
                return self.fc(x.flatten(1))
        """, "Net")
