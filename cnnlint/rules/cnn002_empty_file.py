from .base import Rule


class EmptyFile(Rule):
    code = "CNN002"
    name = "empty-file"
    severity = "info"
    summary = "the file is empty (an empty __init__.py is not reported)"
    file_level = True
