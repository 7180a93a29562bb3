"""cnnlint: static shape, parameter and bug checks for Keras and PyTorch models."""

__version__ = "0.1.0"
