from send_qa.core.roles import Role

# Who makes and revokes the data feed's API tokens: the people who manage accounts.
TOKEN_MANAGERS = frozenset({Role.ADMIN})
