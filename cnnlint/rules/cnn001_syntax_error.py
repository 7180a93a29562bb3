from .base import Rule


class SyntaxError_(Rule):
    code = "CNN001"
    name = "syntax-error"
    severity = "error"
    summary = "the file cannot be read or parsed as Python"
    file_level = True
