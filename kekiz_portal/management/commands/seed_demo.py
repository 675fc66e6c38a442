"""Demo accounts, one per role, so a newcomer can try every view after `make run`.

Everything here is public on purpose (password, TOTP secret, API key): the command refuses to
run on a production configuration (DEBUG off) unless forced.
"""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import ApiToken, StateRole, User
from accounts.roles import TWO_FACTOR_REQUIRED_ROLES, Role
from municipalities.models import Membership, Municipality, Participation, Programme

DEMO_PASSWORD = "KeKiz-Demo-2026!"  # noqa: S105 – published demo login
# Base32, as authenticator apps expect it. Shared by all demo state-office accounts.
DEMO_TOTP_SECRET = "KEKIZDEMOTOTPSECRETFORNEWCOMERS2"  # noqa: S105
DEMO_API_KEY = "kekizdemo-nur-lesen-0123456789abcdefghijklmnopqrstuv"
PROGRAMME_SLUG = "kekiz"
KREIS_LIPPE = "05766"
KREIS_HERFORD = "05758"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str | None  # None: the API client, which holds no role of its own
    municipalities: tuple[str, ...] = ()  # AGS of the municipalities of a municipal role


DEMO_USERS = (
    DemoUser(
        "koordination@kekiz.example", "Jana Koordinatorin (Demo)", Role.COORDINATOR, (KREIS_LIPPE,)
    ),
    DemoUser(
        "kommune@kekiz.example", "Bernd Landrat (Demo)", Role.MUNICIPAL_VIEWER, (KREIS_LIPPE,)
    ),
    DemoUser(
        "begleitung@kekiz.example",
        "Paula Begleiterin (Demo)",
        Role.COMPANION,
        (KREIS_LIPPE, KREIS_HERFORD),
    ),
    DemoUser("pruefung@kekiz.example", "Ralf Prüfer (Demo)", Role.STATE_REVIEWER),
    DemoUser("bewilligung@kekiz.example", "Sabine Bewilligerin (Demo)", Role.STATE_APPROVER),
    DemoUser("verwaltung@kekiz.example", "Tom Programmverwaltung (Demo)", Role.STATE_ADMIN),
    DemoUser("evaluation@kekiz.example", "Eva Forscherin (Demo)", Role.RESEARCHER),
    DemoUser("api@kekiz.example", "Statistik-Schnittstelle (Demo)", None),
)
API_CLIENT_EMAIL = "api@kekiz.example"


class Command(BaseCommand):
    help = "Legt je Rolle ein Demo-Konto an (idempotent) und zeigt die Anmeldedaten."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch ohne DEBUG ausführen (legt bekannte Passwörter an – nie in Produktion).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo legt Konten mit öffentlich bekannten Passwörtern an und läuft daher "
                "nur mit DJANGO_DEBUG=1 (oder mit --force, nie in Produktion)."
            )
        municipalities = self._reference_municipalities()
        with transaction.atomic():
            for demo in DEMO_USERS:
                user = self._user(demo)
                self._roles(user, demo, municipalities)
                if demo.role in TWO_FACTOR_REQUIRED_ROLES:
                    self._totp(user)
            self._api_token(User.objects.get(email=API_CLIENT_EMAIL))
        self._print_logins(municipalities)

    def _reference_municipalities(self) -> dict[str, Municipality]:
        wanted = {ags for demo in DEMO_USERS for ags in demo.municipalities}
        participations = Participation.objects.filter(
            programme__slug=PROGRAMME_SLUG, municipality__ags__in=wanted
        ).select_related("municipality")
        found = {p.municipality.ags: p.municipality for p in participations}
        if not Programme.objects.filter(slug=PROGRAMME_SLUG).exists() or found.keys() != wanted:
            raise CommandError(
                "Die Referenzdaten fehlen (Programm „Kein Kind zurücklassen!“ mit den "
                "Teilnehmenden Kreis Lippe und Kreis Herford). Bitte zuerst "
                "`python manage.py load_reference_data` ausführen."
            )
        return found

    def _user(self, demo: DemoUser) -> User:
        user, created = User.objects.get_or_create(
            email=demo.email, defaults={"full_name": demo.full_name}
        )
        # Only touch the password when it differs, so a second run changes nothing.
        if created or not user.check_password(DEMO_PASSWORD) or not user.is_active:
            user.set_password(DEMO_PASSWORD)
            user.is_active = True
            user.save()
        return user

    def _roles(self, user: User, demo: DemoUser, municipalities: dict[str, Municipality]):
        if demo.role is None:
            return
        if demo.municipalities:
            for ags in demo.municipalities:
                Membership.objects.get_or_create(
                    user=user, municipality=municipalities[ags], role=demo.role
                )
        else:
            StateRole.objects.get_or_create(user=user, role=demo.role)

    def _totp(self, user: User) -> None:
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing and decrypt(existing.data["secret"]) == DEMO_TOTP_SECRET:
            return
        if existing:
            existing.delete()
        TOTP.activate(user, DEMO_TOTP_SECRET)

    def _api_token(self, user: User) -> None:
        prefix = DEMO_API_KEY[: ApiToken.PREFIX_LENGTH]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token and token.user_id == user.pk and token.is_active and token.read_only:
            return
        if token:
            # A revoked, expired or altered demo token is replaced, so the printed key works.
            token.delete()
        services.create_api_token(
            user=user,
            name="Demo: Statistik des Ministeriums",
            read_only=True,
            actor=user,
            key=DEMO_API_KEY,
        )

    def _print_logins(self, municipalities: dict[str, Municipality]) -> None:
        rows = [("Rolle", "E-Mail", "Kommune", "2FA")]
        for demo in DEMO_USERS:
            rows.append(
                (
                    Role(demo.role).label if demo.role else "API-Client (Token)",
                    demo.email,
                    ", ".join(str(municipalities[ags]) for ags in demo.municipalities) or "–",
                    "TOTP" if demo.role in TWO_FACTOR_REQUIRED_ROLES else "–",
                )
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        base_url = settings.PORTAL_BASE_URL.rstrip("/")
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Demo-Anmeldungen für das KeKiz-Portal"))
        out.write("\n".join(lines))
        out.write("")
        out.write(f"Passwort für alle Demo-Konten:  {DEMO_PASSWORD}")
        out.write(f"Anmeldung:                      {base_url}/konto/login/")
        out.write(
            f"Zwei-Faktor (TOTP) der Landesrollen: Geheimnis {DEMO_TOTP_SECRET} in eine "
            "Authenticator-App eintragen, oder den aktuellen Code ohne App abrufen mit"
        )
        out.write("    python manage.py demo_code pruefung@kekiz.example")
        out.write(f"API-Token (nur lesen) von {API_CLIENT_EMAIL}:")
        out.write(f"    {DEMO_API_KEY}")
        out.write(
            f'    curl -H "Authorization: Token {DEMO_API_KEY}" '
            f'"{base_url}/api/v1/programmes/{PROGRAMME_SLUG}/coverage/?date=2017-12-31"'
        )
        out.write("")
