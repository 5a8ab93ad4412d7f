"""The ``xin`` command-line interface."""
