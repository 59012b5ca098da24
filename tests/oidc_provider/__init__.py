"""A real OpenID Connect provider for the tests (issue 23): django-oauth-toolkit in OIDC mode,
run as a second server on loopback by `serve.py`, with its own SQLite database."""
