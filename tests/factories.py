"""factory_boy factories: each test builds the little world it needs."""

from datetime import date

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import ApiToken, StateRole, User
from municipalities.models import (
    Membership,
    Municipality,
    MunicipalityKind,
    Participation,
    PopulationFigure,
    Programme,
    ProgrammePhase,
    Regierungsbezirk,
)

PASSWORD = "Kekiz-Test-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StateRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateRole

    user = factory.SubFactory(UserFactory)
    role = "state_reviewer"


def enable_totp(user) -> str:
    """Give a user a TOTP authenticator; returns the secret so a test can make codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    ags = factory.Sequence(lambda n: f"05{(n % 900) + 100:03d}")
    name = factory.Sequence(lambda n: f"Teststadt {n}, Stadt")
    short_name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    kind = MunicipalityKind.KREISFREIE_STADT
    regierungsbezirk = Regierungsbezirk.DUESSELDORF


class GemeindeFactory(MunicipalityFactory):
    kind = MunicipalityKind.KREISANGEHOERIGE_GEMEINDE
    ags = factory.Sequence(lambda n: f"05{(n % 900) + 100:03d}{(n % 999) + 1:03d}")
    parent = factory.SubFactory(MunicipalityFactory, kind=MunicipalityKind.KREIS)


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    municipality = factory.SubFactory(MunicipalityFactory)
    reference_date = date(2020, 12, 31)
    total = 100_000
    under_18 = 17_000
    source = "Testdaten"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = "kekiz"
    name = "Kein Kind zurücklassen!"
    short_name = "KeKiz"


class ProgrammePhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammePhase

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    start_date = date(2017, 1, 1)
    end_date = date(2018, 12, 31)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    programme = factory.SubFactory(ProgrammeFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    cohort = 2017
    joined_on = date(2017, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "coordinator"


def make_api_token(user, *, read_only=True, name="Test") -> str:
    """Create a token for `user` and return the secret key (as shown once in the UI)."""
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        read_only=read_only,
    )
    return key
