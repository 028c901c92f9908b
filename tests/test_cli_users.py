"""``python -m analysis users …`` and ``--as EMAIL`` (issue 10), run in-process."""

from __future__ import annotations

import io

import pytest

from analysis import auth, store
from analysis.__main__ import main

ADMIN = "somsri@example.org"
EDITOR = "wichai@example.org"
VIEWER = "nok@example.org"
RECORD = """บันทึกเวทีกลุ่มปุ๋ยหมัก บ้านโคกสูง
ลุงสำราญ: ปุ๋ยหมักลดต้นทุนได้จริง
ควรขยายไปหมู่บ้านข้างเคียง
"""


@pytest.fixture
def cli(tmp_path, monkeypatch, fake_extractor):
    """Run the CLI on a fresh SQLite store as the OS user "somchai"; returns (rc, out, err)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setattr("getpass.getuser", lambda: "somchai")

    def run(*args, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main([*args, "--database-url", url])

    run.url = url
    return run


def _engine(url):
    return store.get_engine(url)


def test_first_admin_then_roles_from_the_cli(cli, capsys):
    assert (
        cli(
            "users",
            "add",
            ADMIN,
            "--role",
            "admin",
            "--name",
            "สมศรี",
            "--password-stdin",
            stdin="ผักหวานป่า-2569\n",
        )
        == 0
    )
    engine = _engine(cli.url)
    assert auth.verify_password(engine, ADMIN, "ผักหวานป่า-2569").role is auth.Role.ADMIN
    # the OS user bootstrapped the store; now that users exist it is nobody
    capsys.readouterr()
    assert cli("users", "list") == 2
    assert "no user somchai" in capsys.readouterr().err
    assert cli("users", "add", EDITOR, "--role", "editor", "--as", ADMIN) == 0
    assert cli("users", "add", VIEWER, "--role", "viewer", "--as", ADMIN) == 0
    assert cli("users", "role", EDITOR, "admin", "--as", ADMIN) == 0
    capsys.readouterr()
    assert cli("users", "list", "--as", EDITOR) == 0
    listing = capsys.readouterr().out.splitlines()
    assert f"{ADMIN}\tadmin\tสมศรี\tpassword" in listing
    assert f"{EDITOR}\tadmin\t-\tsso" in listing
    assert cli("users", "remove", VIEWER, "--as", EDITOR) == 0
    trail = store.audit_trail(engine, auth.resolve_actor(engine, ADMIN))
    assert [(e["action"], e["actor_email"]) for e in trail] == [
        ("user_remove", EDITOR),
        ("user_role", ADMIN),
        ("user_add", ADMIN),
        ("user_add", ADMIN),
        ("sign_in", ADMIN),  # verify_password above
        ("user_add", "somchai"),
    ]
    engine.dispose()


def test_cli_refuses_the_wrong_role_and_audits_under_as(cli, capsys, tmp_path):
    cli("users", "add", ADMIN, "--role", "admin")
    cli("users", "add", EDITOR, "--role", "editor", "--as", ADMIN)
    cli("users", "add", VIEWER, "--role", "viewer", "--as", ADMIN)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kok.txt").write_text(RECORD, encoding="utf-8")
    capsys.readouterr()
    assert cli("import", str(tmp_path / "in"), "--as", VIEWER) == 2
    assert "needs the editor role" in capsys.readouterr().err
    assert cli("import", str(tmp_path / "in"), "--as", EDITOR) == 0
    assert cli("users", "add", "new@example.org", "--role", "viewer", "--as", EDITOR) == 2
    assert cli("delete", "1", "--yes", "--as", EDITOR) == 2
    assert "needs the admin role" in capsys.readouterr().err
    assert (
        cli("export", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"), "--as", VIEWER) == 2
    )
    assert cli("delete", "1", "--yes", "--as", ADMIN) == 0
    engine = _engine(cli.url)
    trail = store.audit_trail(engine, auth.resolve_actor(engine, ADMIN), session_id=1)
    assert [(e["action"], e["actor_email"]) for e in trail] == [
        ("delete", ADMIN),
        ("import", EDITOR),
    ]
    assert store.count_sessions(engine) == 0
    engine.dispose()


def test_password_only_from_stdin(cli, capsys):
    cli("users", "add", ADMIN, "--role", "admin")
    assert cli("users", "password", ADMIN, "--as", ADMIN, stdin="") == 2
    assert "no password on standard input" in capsys.readouterr().err
    assert cli("users", "password", ADMIN, "--as", ADMIN, stdin="ข้าวหอมมะลิ-105\n") == 0
    engine = _engine(cli.url)
    assert auth.verify_password(engine, ADMIN, "ข้าวหอมมะลิ-105").email == ADMIN
    engine.dispose()


def test_audit_from_the_cli_for_admins_only(cli, capsys, tmp_path):
    cli("users", "add", ADMIN, "--role", "admin")
    cli("users", "add", VIEWER, "--role", "viewer", "--as", ADMIN)
    capsys.readouterr()
    assert cli("audit", "--as", VIEWER) == 2
    assert "needs the admin role" in capsys.readouterr().err
    assert cli("audit", "--as", ADMIN, "--action", "user_add") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,at,actor_email,action,session_id,details"
    assert [line.split(",")[2] for line in lines[1:]] == [ADMIN, "somchai"]
    out = tmp_path / "trail.jsonl"
    assert cli("audit", "--as", ADMIN, "--format", "jsonl", "--out", str(out)) == 0
    assert '"action": "export"' in out.read_text(encoding="utf-8")  # the CSV export above
