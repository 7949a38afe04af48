"""nbgrader configuration: the course folder is this repository."""

c = get_config()  # noqa: F821  (injected by nbgrader)
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
