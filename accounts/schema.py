"""OpenAPI: say on every write that a read-only API token answers 403."""

from accounts.authentication import READ_ONLY_MESSAGE

UNSAFE = {"post", "put", "patch", "delete"}


def document_read_only_tokens(result, generator, request, public):
    """Describe the token scheme, and add the read-only token's 403 to every write that takes a token."""
    scheme = result.get("components", {}).get("securitySchemes", {}).get("tokenAuth")
    if scheme is not None:
        scheme["description"] = (
            "A personal API token, sent as `Authorization: Token <key>`: from POST /api/token/ (username and "
            "password), POST /api/tokens/ or the Account page. Tokens can expire (then 401), be revoked (401) "
            "and be read-only (403 on any write)."
        )
    for operations in result["paths"].values():
        for method, operation in operations.items():
            if method not in UNSAFE or not any("tokenAuth" in each for each in operation.get("security", [])):
                continue
            forbidden = operation["responses"].setdefault("403", {"description": "Not allowed."})
            forbidden["description"] = f"{forbidden['description']} {READ_ONLY_MESSAGE}"
    return result
