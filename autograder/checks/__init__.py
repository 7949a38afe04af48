"""Hidden checks, one pytest module per assignment: `test_<assignment id>.py`."""
