"""``python -m jishiyu.circles analyse ...`` (see jishiyu.circles.cli)."""

import sys

from jishiyu.circles.cli import main

sys.exit(main())
