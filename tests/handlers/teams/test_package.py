"""The Teams app package: a manifest valid against the 1.29 schema, the right icons, real ids."""

import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import jsonschema

from handlers.teams.package import build, manifest
from tests.schemas import schema

ROOT = Path(__file__).resolve().parents[3]
APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


def validate(document: dict) -> None:
    jsonschema.Draft4Validator(schema("teams-app-manifest-1.29.schema.json")).validate(document)


def png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) RGBA rows of one of our PNGs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)  # 8-bit RGBA
    idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                    for i in range(8, len(data) - 12) if data[i + 4:i + 8] == b"IDAT")
    return width, height, zlib.decompress(idat)


def test_the_committed_manifest_is_valid_and_complete():
    document = json.loads((ROOT / "teams" / "manifest.json").read_text())
    validate(document)
    assert document["manifestVersion"] == "1.29"
    (bot,) = document["bots"]
    assert set(bot["scopes"]) == {"personal", "team"}
    personal = next(c for c in bot["commandLists"] if c["scopes"] == ["personal"])
    assert {"learn", "offer", "status", "profile", "pause", "resume", "capacity", "help"} <= {
        c["title"] for c in personal["commands"]}
    # Resource-specific consent: without it Teams delivers only messages that @mention the
    # bot, and familiarity from channels barely exists. Nothing beyond what the code reads.
    assert document["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}]
    assert document["webApplicationInfo"]["id"]  # RSC needs the app's Entra id


def test_icons_are_192_colour_and_32_transparent_outline():
    width, height, _ = png((ROOT / "teams" / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    width, height, rows = png((ROOT / "teams" / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    alphas = {rows[r * (1 + 4 * 32) + 1 + 4 * x + 3] for r in range(32) for x in range(32)}
    assert 0 in alphas and 255 in alphas  # transparent background, opaque outline


def test_package_fills_in_the_ids_and_stays_valid(tmp_path):
    out = build(APP_ID, "mentoring.hospital.org", tmp_path / "teams.zip")
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        document = json.loads(package.read("manifest.json"))
    validate(document)
    assert document["id"] == document["bots"][0]["botId"] == APP_ID
    assert document["validDomains"] == ["mentoring.hospital.org"]
    assert manifest(APP_ID, "x.org")["webApplicationInfo"]["id"] == APP_ID


def test_package_refuses_without_a_real_app_id(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "handlers.teams.package", "--domain", "x.org", "--out",
         str(tmp_path / "t.zip")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "MICROSOFT_APP_ID": "not-a-guid"},
    )
    assert done.returncode == 2 and "must be the bot's app id" in done.stderr


def package(tmp_path, domain: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handlers.teams.package", "--domain", domain, "--out",
         str(tmp_path / "t.zip")], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "MICROSOFT_APP_ID": APP_ID, **env})


def test_the_domain_must_be_a_host_name(tmp_path):
    empty = package(tmp_path, "")
    assert empty.returncode == 2 and empty.stderr == (
        "teams-package: DOMAIN is empty: make teams-package DOMAIN=preceptor.hospital.org (the "
        "public host name of `preceptor serve`)\n")
    for wrong in ("https://mentoring.hospital.org/", "mentoring.hospital.org:443", "localhost"):
        done = package(tmp_path, wrong)
        assert done.returncode == 2 and done.stderr == (
            f"teams-package: DOMAIN={wrong} is not a host name: give it like "
            "preceptor.hospital.org, without https://, a path or a port\n")
    assert not (tmp_path / "t.zip").exists()


def test_privacy_and_terms_link_to_the_server_or_to_the_hospitals_pages(tmp_path):
    assert package(tmp_path, "Mentoring.Hospital.org").returncode == 0
    with zipfile.ZipFile(tmp_path / "t.zip") as built:
        developer = json.loads(built.read("manifest.json"))["developer"]
    assert developer["privacyUrl"] == "https://mentoring.hospital.org/privacy"
    assert developer["termsOfUseUrl"] == "https://mentoring.hospital.org/terms"
    assert package(tmp_path, "mentoring.hospital.org",
                   PRECEPTOR_PRIVACY_URL="https://hospital.org/privacy/chat").returncode == 0
    with zipfile.ZipFile(tmp_path / "t.zip") as built:
        document = json.loads(built.read("manifest.json"))
    validate(document)
    assert document["developer"]["privacyUrl"] == "https://hospital.org/privacy/chat"
