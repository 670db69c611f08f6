"""`python -m codegen [--check] [--specs DIR] [--out DIR] [--package NAME]`."""

import sys

from codegen.build import build

sys.exit(build())
