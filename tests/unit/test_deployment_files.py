"""The Dockerfile, the compose file and .env.example say what the bot needs (issues 13.6,
14.12). There is no Docker engine here: the files are read and checked, and the image's
size is measured as README says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) per instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile()
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    pairs = " ".join(args for word, args in stage if word == "ENV")
    return dict(re.findall(r"(\w+)=(\S+)", pairs))


def test_the_image_is_multi_stage_on_a_slim_base_and_not_root() -> None:
    froms = [args for word, args in dockerfile() if word == "FROM"]
    assert len(froms) >= 2
    assert all(re.match(r"python:3\.\d+-slim\b", base) for base in froms), froms
    stage = final_stage()
    assert "COPY" in [word for word, _ in stage]
    assert any(word == "COPY" and "--from=build" in args for word, args in stage)
    (user,) = [args for word, args in stage if word == "USER"]
    assert user not in {"root", "0"}
    assert not any(word == "RUN" and "pip install" in args for word, args in stage)


def test_the_key_and_the_working_folder_are_outside_the_data_volume() -> None:
    stage = final_stage()
    env = env_of(stage)
    data = "/data"
    assert env["DATABASE_URL"].endswith(f"{data}/equalsay.db")
    key_file = env["SECRET_KEY_FILE"]
    assert not key_file.startswith(data + "/")
    (workdir,) = [args for word, args in stage if word == "WORKDIR"]
    assert not workdir.startswith(data)  # a .env there would sit in the data's backups
    volumes = " ".join(args for word, args in stage if word == "VOLUME")
    assert f'"{data}"' in volumes and f'"{Path(key_file).parent}"' in volumes


def test_the_healthcheck_is_the_liveness_command() -> None:
    (check,) = [args for word, args in final_stage() if word == "HEALTHCHECK"]
    assert check.endswith('CMD ["equalsay", "health"]')
    assert re.search(r"--interval=\d+s", check) and re.search(r"--start-period=\d+s", check)


def test_compose_takes_every_password_from_env() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db = compose["services"]["db"]["environment"]
    bot = compose["services"]["bot"]
    assert db["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    url = bot["environment"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in url and url.startswith("postgresql+asyncpg://")
    literal = re.sub(r"\$\{[^}]*\}", "", (ROOT / "docker-compose.yml").read_text())
    assert "password" not in literal.lower().replace("postgres_password", "")
    key_folder = str(Path(env_of(final_stage())["SECRET_KEY_FILE"]).parent)
    assert f"keys:{key_folder}" in bot["volumes"] and "keys" in compose["volumes"]
    assert bot["env_file"] == ".env"
    assert "equalsay migrate" in " ".join(bot["entrypoint"])


def test_env_example_names_every_setting_and_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z_]+)=", example, flags=re.MULTILINE))
    assert {name.upper() for name in Settings.model_fields} <= named
    assert "POSTGRES_PASSWORD" in named  # compose's
    for name in named:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(example)
    settings = load_settings()
    assert not settings.secret_key.get_secret_value()  # the first start makes one


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [n.upper() for n in Settings.model_fields if f"`{n.upper()}`" not in readme]
    assert not missing, missing


def test_the_image_compiles_the_translations_before_installing() -> None:
    """Issue 15.1: the catalogues are compiled at build, never committed as binaries, and
    with the Babel the project pins."""
    runs = " ".join(args for word, args in dockerfile() if word == "RUN")
    compiling = runs.index("pybabel compile")
    assert compiling < runs.index("pip install .")
    pinned = re.search(r'"babel==([\d.]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned is not None and f"babel=={pinned.group(1)}" in runs
    assert (
        not list((ROOT / "bot" / "i18n").rglob("*.mo"))
        or "*.mo" in (ROOT / ".gitignore").read_text()
    )
