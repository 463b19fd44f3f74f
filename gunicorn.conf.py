"""gunicorn for VBT: `gunicorn vbt.wsgi -c gunicorn.conf.py --bind ... --workers ...`.

The Dockerfile, docker-compose.yml and the README start gunicorn with this file. It loads Django
once in the master (a refused production setting stops gunicorn with its one line) and keeps
tokens out of the access log: the request line is logged without its query string, and the
paths of invitation, password reset and e-mail confirmation links without their token
(vbt.logs.redact), also where they appear as a referrer.
"""

from gunicorn.glogging import Logger

from vbt.logs import redact

preload_app = True
accesslog = "-"
# %(U)s is the path without the query string; never %(r)s or %(q)s, which carry it.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class RedactingLogger(Logger):
    """gunicorn's logger whose URL atoms are redacted, whatever access_log_format asks for."""

    URL_ATOMS = (
        "U",
        "f",
        "{referer}i",
        "{raw_uri}e",
        "{request_uri}e",
        "{path_info}e",
        "{http_referer}e",
    )

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        atoms["q"] = atoms["{query_string}e"] = "-"
        for key in (*self.URL_ATOMS, "r"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
