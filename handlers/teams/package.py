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
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")  # at least two labels: a public name


def manifest(app_id: str, domain: str, privacy_url: str | None = None,
             terms_url: str | None = None) -> dict:
    """The manifest with the bot's app id (also the package id), the server's domain, and the
    privacy and terms pages (by default the ones `preceptor serve` serves there)."""
    text = (TEAMS / "manifest.json").read_text("utf-8")
    text = text.replace(PLACEHOLDER, app_id).replace("preceptor.example.org", domain)
    document = json.loads(text)
    document["developer"]["privacyUrl"] = privacy_url or f"https://{domain}/privacy"
    document["developer"]["termsOfUseUrl"] = terms_url or f"https://{domain}/terms"
    return document


def checked_domain(domain: str) -> str:
    """A public host name, as Teams' validDomains takes it: no scheme, path or port."""
    if not domain:
        raise ValueError("DOMAIN is empty: make teams-package DOMAIN=preceptor.hospital.org (the "
                         "public host name of `preceptor serve`)")
    if not HOST.fullmatch(domain.lower()) or len(domain) > 253:
        raise ValueError(f"DOMAIN={domain} is not a host name: give it like preceptor.hospital.org, "
                         "without https://, a path or a port")
    return domain.lower()


def build(app_id: str, domain: str, out: Path, privacy_url: str | None = None,
          terms_url: str | None = None) -> Path:
    if not GUID.match(app_id or ""):
        raise ValueError("MICROSOFT_APP_ID must be the bot's app id (a GUID) to build the package")
    domain = checked_domain(domain)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        document = manifest(app_id, domain, privacy_url, terms_url)
        package.writestr("manifest.json", json.dumps(document, indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(TEAMS / icon, icon)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", required=True, help="the public host of `preceptor serve`")
    parser.add_argument("--out", type=Path, default=Path("dist/preceptor-teams.zip"),
                        help="where to write the package (default: dist/preceptor-teams.zip)")
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        path = build(settings.microsoft_app_id or "", args.domain, args.out,
                     settings.preceptor_privacy_url, settings.preceptor_terms_url)
    except ValueError as error:
        print(f"teams-package: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
