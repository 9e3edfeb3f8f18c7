"""The e-mail templates, their variables, and the retry schedule (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from orderyard.domain.email import (
    MAX_ATTEMPTS,
    VARIABLES,
    EmailTemplate,
    check_resend_ids,
    customer_name,
    next_try,
    render,
)
from orderyard.domain.errors import InvalidRequestError

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
VALUES = {name: f"<{name}>" for name in VARIABLES}


@pytest.mark.parametrize("template", list(EmailTemplate))
def test_every_template_uses_only_the_documented_variables(template: EmailTemplate) -> None:
    rendered = render(template, VALUES)  # an unknown $name would raise KeyError

    assert rendered.subject
    assert "<order_number>" in rendered.subject
    assert rendered.text.endswith("\n")
    assert "$" not in rendered.text + rendered.html


def test_the_html_body_escapes_its_values() -> None:
    rendered = render(EmailTemplate.shipment_shipped, {**VALUES, "tracking_number": "1Z<b>"})

    assert "Tracking number: 1Z<b>" in rendered.text
    assert "<strong>1Z&lt;b&gt;</strong>" in rendered.html


def test_a_missing_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        render(EmailTemplate.order_confirmation, {})


def test_tries_back_off_1_2_4_8_16_minutes_then_give_up() -> None:
    pauses = [next_try(attempts, NOW) for attempts in range(1, MAX_ATTEMPTS + 1)]

    assert pauses == [NOW + timedelta(minutes=m) for m in (1, 2, 4, 8, 16)] + [None]


def test_a_customer_without_a_name_is_greeted_as_customer() -> None:
    assert (customer_name(" Jane ", "Roe"), customer_name("", "")) == ("Jane Roe", "customer")


def test_resend_ids_are_each_kept_once_in_order_and_one_is_needed() -> None:
    assert check_resend_ids([3, 1, 3]) == [3, 1]
    with pytest.raises(InvalidRequestError):
        check_resend_ids([])
