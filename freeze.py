"""Freeze the portal into static pages: `python freeze.py OUT` (the same as `portal freeze OUT`)."""

import sys

from portal.cli import cli

if __name__ == "__main__":
    sys.exit(cli.main(["freeze", *sys.argv[1:]], prog_name="freeze.py"))
