from caseload.privacy import pseudonym


def test_pseudonym_is_stable_keyed_and_not_the_number(settings):
    settings.PSEUDONYM_KEY = "key-one"
    first = pseudonym("C000123")
    assert first == pseudonym("C000123")
    assert "C000123" not in first
    assert first != pseudonym("C000124")
    settings.PSEUDONYM_KEY = "key-two"
    assert pseudonym("C000123") != first
