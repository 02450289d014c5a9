class RuleViolation(Exception):
    """A business rule refused an action; `message` is Vietnamese and shown to the user as is."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


# Rules shared by several apps' services: one code and one wording each, wherever enforced.


def reason_required() -> RuleViolation:
    """A step that must say why (a return, a recall, a rejection, a revocation) was given no
    reason."""
    return RuleViolation("Cần nêu lý do.", code="reason_required")
