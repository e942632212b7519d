"""`python -m formcoach_studio build|measure ...`."""

import sys

from formcoach_studio.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
