"""Every error kg raises on purpose: one base class, messages that name the file or term at fault."""


class KgError(Exception):
    """Base of kg's errors: the CLI prints these as one line, never a traceback."""


class PostError(KgError):
    """A post that cannot be read: names the file and what is wrong with it."""

    def __init__(self, path, problem: str):
        # a file name that is not UTF-8 (lone surrogates in Python) printed as U+FFFD
        self.path = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):           # raised in an extraction process, re-raised in the build's
        return type(self), (self.path, self.problem)


class DataFileError(KgError):
    """A lexicon, pattern or ontology file that is malformed: names the file and line."""

    def __init__(self, path, line: int | None, problem: str):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):
        return type(self), (self.path, self.line, self.problem)


class OutputError(KgError):
    """The output folder cannot be written, or a command would overwrite what it must not."""


class InputError(KgError):
    """A path given to kg that does not exist, or holds no posts: nothing is written."""
