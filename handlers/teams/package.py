"""`make teams-package`: the Teams app package (manifest + icons), ids filled in from settings."""

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

from bot.app.settings import Settings

TEAMS = Path(__file__).resolve().parents[2] / "teams"
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def manifest(app_id: str, domain: str) -> dict:
    """The manifest with the bot's app id (also the package id) and the server's domain."""
    text = (TEAMS / "manifest.json").read_text("utf-8")
    text = text.replace(PLACEHOLDER, app_id).replace("preceptor.example.org", domain)
    return json.loads(text)


def build(app_id: str, domain: str, out: Path) -> Path:
    if not GUID.match(app_id or ""):
        raise ValueError("MICROSOFT_APP_ID must be the bot's app id (a GUID) to build the package")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest(app_id, domain), indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(TEAMS / icon, icon)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", required=True, help="the public host of `preceptor serve`")
    parser.add_argument("--out", type=Path, default=Path("dist/preceptor-teams.zip"))
    args = parser.parse_args(argv)
    try:
        path = build(Settings().microsoft_app_id or "", args.domain, args.out)
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
