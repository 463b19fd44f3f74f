"""E-mail addresses are compared and stored in one form: trimmed and in lower case."""


def email_normalise(email: str | None) -> str:
    """The one form of an e-mail address VBT stores and looks up ("" for none)."""
    return (email or "").strip().lower()
