"""Finding: passwords were stored in plain text. Now an argon2id hash (pwdlib), never the password."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from emulator import seed
from emulator.db import Database
from emulator.passwords import hash_password, verify_password

DEMO_PASSWORDS = {"admin": "admin", "manager": "manager"}


def test_no_column_of_the_users_table_holds_a_password(database: Database) -> None:
    with database.session() as session:
        rows = [dict(row._mapping) for row in session.execute(text("SELECT * FROM users"))]
    assert {row["login"] for row in rows} == set(DEMO_PASSWORDS)
    for row in rows:
        # The demo logins equal their passwords («admin»/«admin»): every column but the login and the role.
        values = [str(v) for k, v in row.items() if v is not None and k not in ("login", "role")]
        assert DEMO_PASSWORDS[row["login"]] not in values, f"the password of «{row['login']}» is stored in clear"
        hashes = [v for v in values if v.startswith("$argon2id$")]
        assert len(hashes) == 1, f"«{row['login']}» has no argon2id hash: {row}"


def test_a_hash_is_salted_and_verifies_only_its_password() -> None:
    first, second = hash_password("admin"), hash_password("admin")
    assert first != second, "a hash without a salt"
    assert verify_password("admin", first)
    assert not verify_password("Admin", first)
    assert not verify_password("admin", None)  # an unknown login: checked against a dummy hash, refused


def test_the_demo_logins_and_their_api_tokens_still_work(web: TestClient) -> None:
    answer = web.post("/api/auth/token", json={"login": "admin", "password": "admin"})
    assert answer.status_code == 200
    assert answer.json()["token"] == seed.ADMIN_TOKEN
    me = web.get("/api/me", headers={"Authorization": f"Bearer {seed.MANAGER_TOKEN}"})
    assert me.status_code == 200
    assert me.json()["name"] == "Иван Менеджер"
    refused = web.post("/api/auth/token", json={"login": "admin", "password": "Admin"})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Неверный логин или пароль"
