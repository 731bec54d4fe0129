"""The container's HEALTHCHECK: exit 0 when GET /api/v1/health answers 200 on $PORT, else 1.

Python rather than curl: the slim base image has no curl, and the venv's Python is there anyway.
The endpoint runs `SELECT 1`, so an unreachable database makes the container unhealthy too.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/v1/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
