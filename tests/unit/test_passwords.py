"""Local passwords follow current guidance: long enough, not common, no other rules."""
from supervision.domain.passwords import MIN_LENGTH, problem


def test_a_long_uncommon_password_is_accepted_whatever_its_characters():
    assert problem("correct horse battery staple") is None
    assert problem("kettle-lantern-oboe") is None
    assert problem("all lower case letters") is None


def test_a_short_password_is_refused_with_the_minimum_length():
    assert problem("x" * (MIN_LENGTH - 1)) == "The password must be at least 12 characters."


def test_common_passwords_are_refused_even_when_long_or_with_digits_added():
    for common in ("password1234", "Password1234!", "qwertyuiop123", "123456789012", "Liverpool2026!!",
                   "aaaaaaaaaaaaaaaa", "safeguarding2026"):
        assert problem(common) == "That password is too common. Try three random words together.", common


def test_a_password_containing_the_persons_own_name_is_refused():
    assert problem("helen-brooks-kettle", username="manager", name="Helen Brooks") == (
        "The password must not contain your name or username.")
    assert problem("xx-manager-kettle", username="manager", name="Helen Brooks") is not None
