"""The suite hashes cheaply; production hashes at argon2's recommended cost, and verification follows the hash."""
from wagewatch.auth import passwords


def test_production_cost_is_argon2_recommended(app):
    app.config["PASSWORD_HASH_FAST"] = False
    try:
        stored = passwords.hash_password("Xj-Real-Cost-2026!")
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert passwords.verify(stored, "Xj-Real-Cost-2026!")
        assert not passwords.verify(stored, "wrong")
        assert passwords.dummy_hash().startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    finally:
        app.config["PASSWORD_HASH_FAST"] = True


def test_suite_cost_is_cheap_and_still_verifies(app):
    stored = passwords.hash_password("Xj-Test-Cost-2026!")
    assert "t=1,p=1" in stored and passwords.verify(stored, "Xj-Test-Cost-2026!")
    assert not passwords.verify(None, "Xj-Test-Cost-2026!")
