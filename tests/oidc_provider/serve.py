"""Runs the test identity provider: `python -m tests.oidc_provider.serve PORT`, with PROVIDER_DB,
PROVIDER_RSA_KEY, PROVIDER_CLIENT (client id, secret and redirect URI, JSON) and
PROVIDER_USERS (JSON: username, email, password, amr, verified) in the environment. It
migrates its own SQLite database, adds the client and the people, and serves until stopped."""

import json
import os
import sys


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django  # noqa: PLC0415 - after the settings module is chosen

    django.setup()
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.servers.basehttp import run  # noqa: PLC0415
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415
    from oauth2_provider.models import Application  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)
    client = json.loads(os.environ["PROVIDER_CLIENT"])
    Application.objects.create(
        name="SEND QA portal",
        client_id=client["id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    for person in json.loads(os.environ["PROVIDER_USERS"]):
        User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            first_name="" if person.get("verified", True) else "unverified",
            last_name=person.get("amr", "pwd"),
        )
    run("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
