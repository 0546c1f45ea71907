"""What changed between two texts: lines first, then the words of the lines that changed."""

from __future__ import annotations

from workflow.textdiff import Piece, diff


def test_a_changed_word_is_shown_as_that_word():
    changed = diff("Виділити 1,2 млн грн.\nДруге.\n", "Виділити 1,5 млн грн.\nДруге.\n")
    assert changed.pieces == (
        Piece("same", "Виділити 1,"),
        Piece("removed", "2"),
        Piece("added", "5"),
        Piece("same", " млн грн.\nДруге.\n"),
    )
    assert (changed.count("added"), changed.count("removed")) == (1, 1)


def test_lines_added_and_removed_whole():
    changed = diff("Перше.\nДруге.\n", "Перше.\nТретє речення.\n")
    assert Piece("same", "Перше.\n") in changed.pieces
    assert changed.count("added") == 2


def test_the_same_text_has_no_difference():
    assert not diff("Текст.", "Текст.").changed
    assert diff("", "Новий").pieces == (Piece("added", "Новий"),)
