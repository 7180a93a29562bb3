"""One test file per rule, named after the rule's module (test_cnn101_incompatible_input.py)."""
