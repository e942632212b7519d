"""`python -m formcoach.synth build|measure ...`."""

import sys

from formcoach.synth.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
