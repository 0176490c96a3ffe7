from __future__ import annotations

from minutes.summary.actions import action_items, decisions, due_date
from minutes.summary.model import Sentence


def said(*lines: tuple[str, str]) -> list[Sentence]:
    return [
        Sentence(text=text, start=i * 5.0, end=i * 5.0 + 4, speaker=who)
        for i, (who, text) in enumerate(lines)
    ]


def test_promises_requests_and_team_tasks() -> None:
    items = action_items(
        said(
            ("Ana", "I'll send the contract to legal by Friday."),
            ("Bo", "Can you also update the budget sheet?"),
            ("Ana", "Sure."),
            ("Bo", "We need to hire another engineer next month."),
            ("Ana", "Action item: book the offsite."),
        )
    )
    assert [(i.owner, i.due) for i in items] == [
        ("Ana", "by Friday"),
        ("Ana", None),
        (None, "next month"),
        (None, None),
    ]
    assert [i.speaker for i in items] == ["Ana", "Bo", "Bo", "Ana"]


def test_nothing_is_invented() -> None:
    chatter = said(
        ("Ana", "Good morning everyone."),
        ("Bo", "The results look good this week."),
        ("Ana", "I think that is right."),
        ("Bo", "Let's start with the numbers."),
        ("Ana", "We should probably celebrate."),
    )
    assert action_items(chatter) == []
    assert decisions(chatter) == []


def test_a_request_without_an_answer_has_no_owner() -> None:
    (item,) = action_items(said(("Bo", "Could you please check the logs tomorrow?")))
    assert (item.owner, item.due) == (None, "tomorrow")


def test_due_dates_are_copied_never_guessed() -> None:
    assert due_date("send it by the end of the week") == "by the end of the week"
    assert due_date("we meet on March 3rd") == "on March 3rd"
    assert due_date("I will do it soon") is None


def test_decisions() -> None:
    found = decisions(
        said(("Ana", "We will go with the cheaper vendor."), ("Bo", "We agreed to ship in May."))
    )
    assert [d.speaker for d in found] == ["Ana", "Bo"]
