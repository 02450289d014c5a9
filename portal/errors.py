class RuleViolation(Exception):
    """A business rule refused an action; `message` is Vietnamese and shown to the user as is."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
