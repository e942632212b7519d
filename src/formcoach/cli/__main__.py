"""`python -m formcoach.cli`: the `formcoach` command."""

import sys

from formcoach.cli.app import main

sys.exit(main())
