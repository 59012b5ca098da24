"""Build the front-end into static/build/ from the npm packages (never committed).

- static/src/portal.scss -> static/build/portal.css, compiled with Dart Sass
  against govuk-frontend (Arial, no crown: we are not a GOV.UK domain service);
- govuk-frontend's JavaScript and its images -> static/build/govuk/.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SASS = ROOT / "node_modules" / ".bin" / "sass"
BUILD = ROOT / "static" / "build"


def main() -> int:
    if not GOVUK.is_dir() or not SASS.exists():
        print("Front-end packages are missing: run 'npm ci' first.", file=sys.stderr)
        return 1
    if BUILD.exists():
        shutil.rmtree(BUILD)
    (BUILD / "govuk").mkdir(parents=True)
    shutil.copytree(GOVUK / "assets" / "images", BUILD / "govuk" / "assets" / "images")
    shutil.copy(GOVUK / "assets" / "manifest.json", BUILD / "govuk" / "assets" / "manifest.json")
    js = (GOVUK / "govuk-frontend.min.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)  # we do not ship the source maps
    (BUILD / "govuk" / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
    subprocess.run(
        [
            str(SASS),
            "--load-path=node_modules",
            "--quiet",
            "--no-source-map",
            "--style=compressed",
            "static/src/portal.scss",
            "static/build/portal.css",
        ],
        cwd=ROOT,
        check=True,
    )
    print("Front-end built in static/build/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
