"""The benchmark's people: a token and a logged-in session for each generated user, with their lists and todos.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.population people.json --users 1000

For up to `--users` generated users who own a list with todos (generate_data's `genuser*`; `bench` is
left to the single-URL endpoints), it creates an API token and a session as a login would (through
the configured SESSION_ENGINE, so it must run with the app's DJANGO_SECRET_KEY) plus a CSRF secret,
and writes them as JSON with each user's lists and the first todos of each list:

    [{"user": 2, "token": "...", "cookie": "sessionid=...; csrftoken=...",
      "lists": [[list_id, todo_count, [todo_id, ...]], ...]}, ...]

bench/run.py turns the file into the Lua table that bench/wrk_users.lua picks from per request;
bench/instructions.py reads it as it is. Run again, it replaces the tokens and adds sessions.
"""

import argparse
import json
import random
import sys
from collections import defaultdict
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.crypto import get_random_string

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # Django's CSRF_ALLOWED_CHARS


def people(*, users: int, todos_per_list: int, lists_per_user: int, seed: int) -> list[dict]:
    """Create the credentials of up to `users` generated users who own a non-empty list; return them."""
    # Models are imported once django.setup() has run (main).
    from accounts.models import APIToken
    from accounts.services import api_token_create
    from todos.management.commands.generate_data import GENERATED_DOMAIN, USERNAME_PREFIX
    from todos.models import Todo, TodoList

    owned = defaultdict(list)
    generated = TodoList.objects.filter(
        owner__email__endswith=f"@{GENERATED_DOMAIN}", owner__username__startswith=USERNAME_PREFIX
    )
    for owner_id, list_id in generated.order_by("owner_id", "id").values_list("owner_id", "id"):
        owned[owner_id].append(list_id)
    rng = random.Random(seed)
    for owner_id in owned:
        if len(owned[owner_id]) > lists_per_user:
            owned[owner_id] = sorted(rng.sample(owned[owner_id], lists_per_user))
    first_todos = defaultdict(list)
    ranked = (
        Todo.objects.filter(list_id__in=[list_id for lists in owned.values() for list_id in lists])
        .annotate(rank=Window(RowNumber(), partition_by=F("list_id"), order_by=[F("position"), F("id")]))
        .filter(rank__lte=todos_per_list)
        .values_list("list_id", "id")
    )
    for list_id, todo_id in ranked:
        first_todos[list_id].append(todo_id)
    sizes = dict(
        Todo.objects.filter(list_id__in=list(first_todos))
        .order_by()
        .values("list_id")
        .annotate(n=Count("id"))
        .values_list("list_id", "n")
    )
    chosen = sorted(owner for owner, lists in owned.items() if any(first_todos[list_id] for list_id in lists))
    chosen = sorted(rng.sample(chosen, min(users, len(chosen))))

    accounts = get_user_model().objects.in_bulk(chosen)
    APIToken.objects.filter(user_id__in=chosen, name="bench").delete()
    tokens = [api_token_create(user=accounts[pk], name="bench") for pk in chosen]
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    out = []
    for pk, token in zip(chosen, tokens, strict=True):
        session = session_store()
        session[SESSION_KEY] = str(pk)
        session[BACKEND_SESSION_KEY] = AUTH_BACKEND
        session[HASH_SESSION_KEY] = accounts[pk].get_session_auth_hash()
        session.create()
        csrf = get_random_string(32, CSRF_CHARS)
        out.append(
            {
                "user": pk,
                "token": token.key,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "lists": [[list_id, sizes.get(list_id, 0), first_todos[list_id]] for list_id in owned[pk]],
            }
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.population", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--lists-per-user", type=int, default=20, help="at most this many of each user's lists")
    parser.add_argument("--todos-per-list", type=int, default=20, help="the first todos of each list, for writes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    import django

    django.setup()
    found = people(
        users=args.users, todos_per_list=args.todos_per_list, lists_per_user=args.lists_per_user, seed=args.seed
    )
    args.output.write_text(json.dumps(found))
    print(f"{len(found)} people with {sum(len(p['lists']) for p in found)} lists", file=sys.stderr)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
