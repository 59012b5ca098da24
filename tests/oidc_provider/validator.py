from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Each person's email, whether it is verified and how they signed in (`amr`). The test
    provider keeps the last two on the user: `last_name` holds the methods ("pwd,mfa"), a
    `first_name` of "unverified" says the address is not verified."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.first_name != "unverified",
            "name": user.username,
            "amr": [method for method in user.last_name.split(",") if method] or ["pwd"],
        }
