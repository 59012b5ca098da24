from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from send_qa.core.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the security code the demo admin and SENDOPS enter now (debug mode only)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo, so it runs only in debug mode.")
        code = TOTP(b32decode(DEMO_TOTP_SECRET)).token()
        self.stdout.write(f"{code:06d}  (a new code every 30 seconds; each works once)")
