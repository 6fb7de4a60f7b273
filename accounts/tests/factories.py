from accounts import services


def api_token(user, **fields):
    """A token made the one way tokens are made (the service); its key is on `.key`."""
    return services.api_token_create(user=user, name=fields.pop("name", "test"), **fields)
