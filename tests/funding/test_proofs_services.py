"""Proof of use: opening, saving, submitting, checking with clawback and interest (§ 49a VwVfG),
giving back; and the due-date selectors the reminders use."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import ProofOfUseEvent, ProofStatus
from funding.selectors_proofs import overdue_proofs, proofs_due_within, return_reason
from funding.services import proofs
from funding.services.errors import FundingError, StaleEditError
from tests.funding import test_proofs_world
from tests.funding.test_proofs_world import GRANT, World, decide, opened, pay

world = test_proofs_world.world

UNTIL = date(2028, 9, 30)


@pytest.fixture(autouse=True)
def base_rate(settings):
    settings.FUNDING_BASE_RATE_PERCENT = "1.27"


def submitted(world, personas, actual, **kwargs):
    proof = opened(world, personas, actual=actual, narrative="Die Kette wächst.", **kwargs)
    return proofs.submit_proof(
        proof=proof, actor=personas.coordinator_a, expected_version=proof.version
    )


def test_due_date_is_end_of_year_plus_the_months_the_bescheid_promised(world: World):
    assert proofs.proof_due_on(world.decision, 2027) == date(2028, 6, 30)
    world.decision.proof_deadline_months = 2
    assert proofs.proof_due_on(world.decision, 2027) == date(2028, 2, 29)
    world.decision.proof_deadline_months = 0
    assert proofs.proof_due_on(world.decision, 2027) == date(2027, 12, 31)
    # A later change of the rule moves no promised deadline.
    world.rule.proof_deadline_months = 12
    world.rule.save()
    assert proofs.proof_due_on(world.decision, 2027) == date(2027, 12, 31)


def test_open_prefills_from_the_plan_and_is_idempotent(world: World, personas):
    proof = proofs.open_proof(
        application=world.application, year=2027, actor=personas.coordinator_a
    )
    again = proofs.open_proof(
        application=world.application, year=2027, actor=personas.coordinator_a
    )
    assert again.pk == proof.pk
    assert proof.due_on == date(2028, 6, 30)
    assert proof.status == ProofStatus.DRAFT
    assert proof.actual_own_funds == Decimal("29958.00")
    assert list(proof.lines.values_list("category", "planned", "actual")) == [
        ("personnel", Decimal("59916.00"), Decimal("0.00"))
    ]
    event = ProofOfUseEvent.objects.filter(pgh_obj_id=proof.pk).select_related("pgh_context").get()
    assert event.pgh_context.metadata["user"] == personas.coordinator_a.pk


def test_only_years_granted_by_the_current_decision_and_only_coordinators(world: World, personas):
    with pytest.raises(FundingError, match="2028"):
        proofs.open_proof(application=world.application, year=2028, actor=personas.coordinator_a)
    for someone in (personas.coordinator_b, personas.viewer_a, personas.reviewer):
        with pytest.raises(FundingError):
            proofs.open_proof(application=world.application, year=2027, actor=someone)
    # An amendment granting only 2028 makes 2027 no longer a granted year.
    world.decision.is_current = False
    world.decision.save()
    decide(world.application, personas.approver, grants={2028: GRANT})
    with pytest.raises(FundingError, match="2027"):
        proofs.open_proof(application=world.application, year=2027, actor=personas.coordinator_a)


def test_stale_edit_is_refused_and_names_who_changed_it(world: World, personas):
    proof = opened(world, personas)
    line = proof.lines.get()
    version = proof.version
    arguments = {
        "lines": [{"id": line.pk, "actual": Decimal("50000")}],
        "actual_own_funds": Decimal("25000"),
        "actual_third_party_funds": Decimal("0"),
    }
    proofs.save_proof(
        proof=proof,
        actor=personas.coordinator_a,
        expected_version=version,
        narrative="Erster Stand",
        **arguments,
    )
    with pytest.raises(StaleEditError, match=str(personas.coordinator_a)):
        proofs.save_proof(
            proof=proof,
            actor=personas.coordinator_a,
            expected_version=version,
            narrative="Zweiter Stand",
            **arguments,
        )
    proof.refresh_from_db()
    assert proof.narrative == "Erster Stand"
    assert proof.version == version + 1


def test_foreign_lines_and_negative_amounts_are_refused(world: World, personas):
    proof = opened(world, personas)
    for lines in ([{"id": 999999, "actual": "1"}], [{"id": proof.lines.get().pk, "actual": "-1"}]):
        with pytest.raises(FundingError):
            proofs.save_proof(
                proof=proof,
                actor=personas.coordinator_a,
                expected_version=proof.version,
                narrative="x",
                lines=lines,
                actual_own_funds=Decimal(0),
                actual_third_party_funds=Decimal(0),
            )
    assert proof.lines.get().actual == Decimal("0.00")


def test_gaps_explain_what_is_missing(world: World, personas):
    proof = opened(world, personas)
    gaps = proofs.submission_gaps(proof)
    assert len(gaps) == 2
    assert "Sachbericht" in gaps[0]
    assert "Ist" in gaps[1]
    with pytest.raises(FundingError) as refused:
        proofs.submit_proof(
            proof=proof, actor=personas.coordinator_a, expected_version=proof.version
        )
    assert refused.value.messages == gaps
    proof.refresh_from_db()
    assert proof.status == ProofStatus.DRAFT


def test_submit_tells_the_reviewers(
    world: World, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proof = submitted(world, personas, Decimal("59916"))
    assert proof.status == ProofStatus.SUBMITTED
    assert proof.submitted_by == personas.coordinator_a
    assert [mail.to for mail in mailoutbox] == [[personas.reviewer.email]]
    with pytest.raises(FundingError):
        proofs.save_proof(
            proof=proof,
            actor=personas.coordinator_a,
            expected_version=proof.version,
            narrative="später",
            lines=[],
            actual_own_funds=Decimal(0),
            actual_third_party_funds=Decimal(0),
        )


def test_lower_actual_costs_reduce_the_grant_pro_rata_with_clawback_and_interest(
    world: World, personas, mailoutbox, django_capture_on_commit_callbacks
):
    proof = submitted(world, personas, Decimal("50000"))
    with django_capture_on_commit_callbacks(execute=True):
        proof = proofs.check_proof(
            proof=proof,
            actor=personas.reviewer,
            check_note="Ausgaben nur teilweise angefallen.",
            recognised_eligible=None,
            interest_until=UNTIL,
        )
    proof.refresh_from_db()
    assert proof.status == ProofStatus.CHECKED
    assert proof.final_eligible_costs == Decimal("50000.00")
    assert proof.final_grant == Decimal("25000.00")
    assert proof.clawback_amount == Decimal("4958.00")
    # 4,958 € × (1.27 + 5) % × 579 days (1 March 2027 – 30 September 2028) / 365
    assert proof.clawback_interest == Decimal("493.13")
    assert proof.interest_until == UNTIL
    assert proof.checked_by == personas.reviewer
    assert [mail.to for mail in mailoutbox] == [[personas.coordinator_a.email]]


def test_no_clawback_when_actual_costs_reach_the_plan(world: World, personas):
    proof = submitted(world, personas, Decimal("65000"))
    proof = proofs.check_proof(
        proof=proof,
        actor=personas.reviewer,
        check_note="Ordnungsgemäß.",
        recognised_eligible=None,
        interest_until=UNTIL,
    )
    assert proof.final_grant == GRANT
    assert proof.clawback_amount == Decimal("0.00")
    assert proof.clawback_interest == Decimal("0.00")


def test_reviewer_may_recognise_less_but_not_more_than_proven(world: World, personas):
    proof = submitted(world, personas, Decimal("59916"))
    with pytest.raises(FundingError, match=r"59\.916,00"):
        proofs.proof_figures(proof, recognised_eligible=Decimal("60000"), interest_until=UNTIL)
    figures = proofs.proof_figures(
        proof, recognised_eligible=Decimal("50000"), interest_until=UNTIL
    )
    assert (figures.final_grant, figures.clawback) == (Decimal("25000.00"), Decimal("4958.00"))


def test_interest_runs_on_the_latest_payments_first(world: World, personas):
    pay(world.application, 2027, Decimal("20000.00"), date(2027, 1, 15), personas)
    pay(world.application, 2027, Decimal("9958.00"), date(2027, 7, 1), personas)
    proof = proofs.open_proof(
        application=world.application, year=2027, actor=personas.coordinator_a
    )
    proof = proofs.save_proof(
        proof=proof,
        actor=personas.coordinator_a,
        expected_version=proof.version,
        narrative="Bericht",
        lines=[{"id": proof.lines.get().pk, "actual": "50000"}],
        actual_own_funds=Decimal("25000"),
        actual_third_party_funds=Decimal("0"),
    )
    figures = proofs.proof_figures(proof, recognised_eligible=None, interest_until=UNTIL)
    assert figures.paid == GRANT
    # All 4,958 € come from the payment of 1 July 2027: 457 days, not 624.
    assert figures.interest == Decimal("389.22")


def test_only_reviewers_check_and_only_submitted_proofs(world: World, personas):
    draft = opened(world, personas, actual=Decimal("50000"), narrative="Bericht")
    with pytest.raises(FundingError, match="eingereicht"):
        proofs.check_proof(
            proof=draft,
            actor=personas.reviewer,
            check_note="x",
            recognised_eligible=None,
            interest_until=UNTIL,
        )
    proof = proofs.submit_proof(
        proof=draft, actor=personas.coordinator_a, expected_version=draft.version
    )
    for someone in (personas.approver, personas.coordinator_a):
        with pytest.raises(FundingError):
            proofs.check_proof(
                proof=proof,
                actor=someone,
                check_note="x",
                recognised_eligible=None,
                interest_until=UNTIL,
            )
    with pytest.raises(ValidationError, match="Prüfvermerk"):
        proofs.check_proof(
            proof=proof,
            actor=personas.reviewer,
            check_note=" ",
            recognised_eligible=None,
            interest_until=UNTIL,
        )


def test_return_gives_the_draft_back_with_the_reason(
    world: World, personas, mailoutbox, django_capture_on_commit_callbacks
):
    proof = submitted(world, personas, Decimal("50000"))
    with django_capture_on_commit_callbacks(execute=True):
        proof = proofs.return_proof(
            proof=proof, actor=personas.reviewer, message="Bitte Belegliste ergänzen."
        )
    assert proof.status == ProofStatus.DRAFT
    assert return_reason(proof) == "Bitte Belegliste ergänzen."
    assert "Bitte Belegliste ergänzen." in mailoutbox[0].body
    # The municipality can correct and submit again.
    proofs.submit_proof(proof=proof, actor=personas.coordinator_a, expected_version=proof.version)


def test_due_and_overdue_selectors(world: World, personas, django_assert_max_num_queries):
    decide(
        world.application.__class__.objects.create(
            call=world.application.call,
            municipality=personas.municipality_b,
            number="B-1",
            created_by=personas.coordinator_b,
        ),
        personas.approver,
        grants={2026: GRANT},
    )
    with django_assert_max_num_queries(2):
        due = proofs_due_within(30, date(2028, 6, 10))
    assert [(row.application_number, row.year, row.due_on) for row in due] == [
        (world.application.number, 2027, date(2028, 6, 30))
    ]
    with django_assert_max_num_queries(2):
        overdue = overdue_proofs(date(2027, 7, 1))
    assert [(row.application_number, row.year) for row in overdue] == [("B-1", 2026)]
    # Submitted proofs are neither due nor overdue.
    submitted(world, personas, Decimal("59916"))
    assert proofs_due_within(30, date(2028, 6, 10)) == []
    assert [row.year for row in overdue_proofs(date(2028, 7, 1))] == [2026]
