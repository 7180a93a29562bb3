"""Rewriting files with the fixes rules attach (``--fix``, ``--diff``, ``--add-noqa``).

It lints through the runner, so it sits above it; ``cnnlint.fixes`` is the
plain data those fixes are made of, which rules and reporters import.
"""
