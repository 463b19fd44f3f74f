"""What the logs never show: the tokens and keys in links, and query strings.

An invitation link (/uitnodiging/<token>/), a password reset link
(/accounts/password/reset/key/<uid>-<key>/) and an e-mail confirmation link
(/accounts/confirm-email/<key>/) each let whoever has them act as the person they were mailed to.
Django's log handler (settings LOGGING) and gunicorn's access log (gunicorn.conf.py) pass every
path through `redact`. A new page that carries a secret in its path adds its prefix to
TOKEN_PREFIXES; tests/vbt/test_logs.py finds every URL pattern with a token or key in it.
"""

import logging
import re

HIDDEN = "[verborgen]"

TOKEN_PREFIXES = (
    "/uitnodiging/",
    # Not /accounts/password/reset/key/done/, the page after a reset: it holds no key.
    "/accounts/password/reset/key/(?!done/)",
    "/accounts/confirm-email/",
    # A household's withdrawal link (signalen.services.intrekken).
    "/steun-intrekken/",
    # A partner's answer link to a forwarded signal (signalen.services.doorzetten).
    "/doorgezet/",
    # The links that confirm a resident's online support or wish (publiek.services).
    "/steunen/bevestigen/",
    "/wens/bevestigen/",
    # One-click unsubscribe of a supporter (/afmelden/, signalen.services.afmelden) and of a
    # resident who picks up an actie (/acties/afmelden/), and the "heeft het geholpen?" links.
    "/afmelden/",
    # The same again from the start of the path: GZIP_EXCLUDED_PATHS matches these prefixes at the
    # start of the path (the logs search anywhere), and this page must not be compressed either.
    "/acties/afmelden/",
    "/geholpen/",
)
_TOKEN = re.compile("(" + "|".join(TOKEN_PREFIXES) + r")[^/?#\s\"']+", flags=re.IGNORECASE)
# A query string after a path (".../x?a=b"), not a question mark in a sentence.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def redact(text: str) -> str:
    """`text` (a path, a URL or a whole log line) with every token in a path replaced by
    [verborgen] and every query string left out."""
    return _QUERY.sub(r"\1", _TOKEN.sub(r"\1" + HIDDEN, text))


class RedactTokensFilter(logging.Filter):
    """A log handler's filter: the record's message goes out redacted (e.g. Django's
    "Not Found: /uitnodiging/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is for the formatter to report, not for this filter
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True
