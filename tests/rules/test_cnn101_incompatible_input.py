"""CNN101 incompatible-input: a layer receives a size it was not built for."""

from ..conftest import lint


BUGGY_MESSAGE = "fc1 expects 400 features but receives 16·4·4 = 256; 400 = 16·5·5 matches a 1×32×32 input"


def test_buggy_lenet_names_both_numbers_and_the_input_that_fits(cnnlint_json):
    doc, code = cnnlint_json("fixtures/lenet5_torch_buggy.py")
    assert code == 1
    (diagnostic,) = doc["diagnostics"]
    assert diagnostic["code"] == "CNN101"
    assert diagnostic["message"] == BUGGY_MESSAGE
    assert diagnostic["line"] == 13  # self.fc1 = nn.Linear(16 * 5 * 5, 120)


def test_view_with_the_wrong_size_is_reported_at_the_view():
    result = lint("""
        import torch.nn as nn
        import torch.nn.functional as F
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 6, 5)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv1(x)), 2)
                x = F.max_pool2d(F.relu(self.conv2(x)), 2)
                x = x.view(-1, 16 * 5 * 5)
                return self.fc1(x)
        """, (1, 28, 28))
    (error,) = [d for d in result.diagnostics if d.code == "CNN101"]
    assert error.line == 13
    assert error.message == ("view(-1, 400) expects 400 elements per sample but receives 16·4·4 = 256; "
                             "400 = 16·5·5 matches a 1×32×32 input")


def test_residual_with_mismatched_channels_is_cnn101():
    result = lint("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3, padding=1)
            def forward(self, x):
                return x + self.conv(x)
        """, (3, 16, 16))
    assert [d.code for d in result.diagnostics] == ["CNN101"]


def test_a_channel_mismatch_is_an_error_even_without_an_input():
    result = lint("""
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Conv2d(5, 4, 3))
        """)
    assert [d.code for d in result.diagnostics] == ["CNN101"]


def test_a_feature_count_no_input_can_give_is_an_error():
    result = lint("""
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.Flatten(), nn.Linear(401, 10))
        """)
    (error,) = result.diagnostics
    assert error.code == "CNN101" and "no input size" in error.message
