"""The PyTorch front end: ``frontend`` (interpreter hooks, finding and tracing models), ``models`` (nn.Module
values), ``layers`` (the tables mapping torch.nn modules and functional ops to engine layers)."""

from .frontend import TorchFrontEnd

__all__ = ["TorchFrontEnd"]
