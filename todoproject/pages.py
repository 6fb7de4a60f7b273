"""Keys of the "pages" cache (CACHES["pages"] in settings.py): answers kept per process under what they depend on.

What an answer depends on always includes versions read from the database (TodoList.version,
Order.version), so a write anywhere makes its old key unused, in every process.
"""

import hashlib


def page_key(kind: str, *parts) -> str:
    """The key of a `kind` of answer that is a function of `parts` alone (ids, versions, the URL, ...)."""
    return f"{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
