"""Hidden-check autograder for the gradient-descent course."""

__version__ = "0.1.0"
