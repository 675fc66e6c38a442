"""Demo accounts, one per role, so a newcomer can try every view after `make run`.

Everything here is public on purpose (password, TOTP secret, API key): the command refuses to
run on a production configuration (DEBUG off) unless forced.
"""

import json
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from shapely import box
from shapely.geometry import mapping, shape

from accounts import services
from accounts.models import ApiToken, StateRole, User
from accounts.roles import TWO_FACTOR_REQUIRED_ROLES, Role
from funding.demo import seed_funding_demo
from monitoring import quality as monitoring_quality
from monitoring import services as monitoring_services
from monitoring.catalogue import load_catalogue
from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import DataApproval, Indicator, Observation
from municipalities import sozialraeume as sozialraum_services
from municipalities.models import (
    Membership,
    Municipality,
    Participation,
    Programme,
    Sozialraum,
    SozialraumLevel,
)
from prevention_chains.demo import seed_prevention_demo

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

# Demo monitoring of Kreis Lippe: two Bezirke (north, south) of four Sozialräume each, cut from
# a 4 × 2 grid over the Kreis' real boundary. Every figure is synthetic („Demodaten“).
DEMO_COORDINATOR = "koordination@kekiz.example"
DEMO_AREAS_FROM = date(2015, 1, 1)
DEMO_YEARS = range(2016, 2024)
DEMO_APPROVED = range(2016, 2022)  # approved (locked) years
DEMO_RELEASED = range(2016, 2021)  # released to the state office
DEMO_DISTRICTS = (("N", "Bezirk Nord (Demo)"), ("S", "Bezirk Süd (Demo)"))
DEMO_AREA_NAMES = ("West", "Mitte-West", "Mitte-Ost", "Ost")
# indicator code: (typical rate in %, spread between areas, change per year, base population)
DEMO_INDICATORS = {
    "SGB2_U15": (16.0, 7.0, -0.3, 1800),
    "SGB2_U3": (18.0, 8.0, -0.2, 330),
    "BETREUUNG_U3": (28.0, 6.0, 1.2, 330),
    "SEU_SPRACHE": (22.0, 6.0, 0.2, 110),
    "SEU_UEBERGEWICHT": (11.0, 3.0, 0.1, 110),
    "KINDERANTEIL": (17.0, 2.0, -0.1, 9000),
    "ALLEINERZ_BG": (38.0, 6.0, 0.0, 160),
}


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
            self._monitoring_demo(
                municipalities[KREIS_LIPPE], User.objects.get(email=DEMO_COORDINATOR)
            )
            seed_funding_demo(
                coordinator=User.objects.get(email=DEMO_COORDINATOR),
                reviewer=User.objects.get(email="pruefung@kekiz.example"),
                approver=User.objects.get(email="bewilligung@kekiz.example"),
                municipality=municipalities[KREIS_LIPPE],
                programme=Programme.objects.get(slug=PROGRAMME_SLUG),
            )
            seed_prevention_demo(
                coordinator=User.objects.get(email=DEMO_COORDINATOR),
                state_admin=User.objects.get(email="verwaltung@kekiz.example"),
                municipality=municipalities[KREIS_LIPPE],
                partner=municipalities[KREIS_HERFORD],
                programme=Programme.objects.get(slug=PROGRAMME_SLUG),
            )
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

    def _monitoring_demo(self, lippe: Municipality, coordinator: User) -> None:
        """Sozialräume with boundaries and population, values of several years, approvals.
        Only what is missing is added, so a second run changes nothing."""
        if lippe.boundary is None:
            return
        load_catalogue()
        areas = self._demo_areas(lippe, coordinator)
        self._demo_population(areas, coordinator)
        indicators = Indicator.objects.catalogue().filter(code__in=DEMO_INDICATORS)
        existing = set(
            Observation.objects.filter(sozialraum__in=areas).values_list(
                "indicator_id", "sozialraum_id", "period"
            )
        )
        locked = monitoring_services.locked_periods(lippe.pk)
        new = []
        for indicator in indicators:
            typical, spread, trend, base = DEMO_INDICATORS[indicator.code]
            for index, area in enumerate(areas):
                rng = random.Random(f"{indicator.code}-{area.code}")  # noqa: S311 – demo figures
                level = typical + spread * (rng.random() * 2 - 1) + (index % 4 - 1.5) * spread / 3
                for period in DEMO_YEARS:
                    if (indicator.pk, area.pk, period) in existing or period in locked:
                        continue
                    denominator = round(base * (0.7 + 0.6 * rng.random()))
                    rate = max(0.5, level + trend * (period - 2016) + rng.gauss(0, spread / 8))
                    new.append(
                        Observation(
                            indicator=indicator,
                            sozialraum=area,
                            period=period,
                            numerator=Decimal(round(denominator * rate / 100)),
                            denominator=Decimal(denominator),
                            updated_by=coordinator,
                        )
                    )
        Observation.objects.bulk_create(new)
        if new:
            monitoring_quality.check_observations(municipality=lippe, periods=DEMO_YEARS)
            # Store the disclosure results the triggers marked stale, as every write path does.
            refresh_disclosure(municipality_id=lippe.pk)
        for period in DEMO_APPROVED:
            if not DataApproval.objects.filter(municipality=lippe, period=period).exists():
                monitoring_services.approve_year(
                    actor=coordinator, municipality=lippe, period=period
                )
                if period in DEMO_RELEASED:
                    monitoring_services.set_released_to_state_office(
                        actor=coordinator, municipality=lippe, period=period, released=True
                    )

    def _demo_areas(self, lippe: Municipality, coordinator: User) -> list[Sozialraum]:
        outline = shape(lippe.boundary)
        west, south, east, north = outline.bounds
        width, height = (east - west) / len(DEMO_AREA_NAMES), (north - south) / 2
        existing = {
            s.code: s
            for s in Sozialraum.objects.filter(municipality=lippe, valid_from=DEMO_AREAS_FROM)
        }
        areas = []
        for row, (district_code, district_name) in enumerate(DEMO_DISTRICTS):
            top = north - row * height
            strip = box(west, top - height, east, top).intersection(outline)
            district = existing.get(district_code) or sozialraum_services.create_sozialraum(
                actor=coordinator,
                municipality=lippe,
                code=district_code,
                name=district_name,
                level=SozialraumLevel.STADTBEZIRK,
                valid_from=DEMO_AREAS_FROM,
                boundary=json.loads(json.dumps(mapping(strip))),
            )
            for column, name in enumerate(DEMO_AREA_NAMES):
                code = f"{district_code}{column + 1}"
                if code in existing:
                    areas.append(existing[code])
                    continue
                left = west + column * width
                cell = box(left, top - height, left + width, top).intersection(outline)
                areas.append(
                    sozialraum_services.create_sozialraum(
                        actor=coordinator,
                        municipality=lippe,
                        code=code,
                        name=f"{district_name.split(' (')[0]} {name} (Demo)",
                        parent=district,
                        valid_from=DEMO_AREAS_FROM,
                        # via JSON: shapely's mapping holds tuples, stored GeoJSON has lists
                        boundary=json.loads(json.dumps(mapping(cell))),
                    )
                )
        return areas

    def _demo_population(self, areas: list[Sozialraum], coordinator: User) -> None:
        bands = ((0, 3, 330), (3, 6, 340), (6, 10, 450), (10, 18, 900), (18, None, 7000))
        for area in areas:
            if area.population.exists():
                continue
            rng = random.Random(f"population-{area.code}")  # noqa: S311 – demo figures
            size = 0.7 + 0.6 * rng.random()
            rows = [
                sozialraum_services.PopulationRow(
                    year, age_from, age_to, round(count * size * (1 + (year - 2020) * 0.005))
                )
                for year in DEMO_YEARS
                for age_from, age_to, count in bands
            ]
            sozialraum_services.set_population(actor=coordinator, sozialraum=area, rows=rows)

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
