"""Keep self-report tokens out of every log line.

The token is the person's only credential and it travels in the URL (/r/<token>/). Django logs
4xx paths ("Not Found: /r/…/", "Gone: …") and the development server logs every request line,
so the console handler runs this filter on every record.
"""

import logging
import re

TOKEN_PATH = re.compile(r"/r/[^/\s\"'?]+")
REDACTED = "/r/[lien-masque]"


class RedactSelfReportTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "/r/" in message:
            record.msg = TOKEN_PATH.sub(REDACTED, message)
            record.args = ()
        return True
