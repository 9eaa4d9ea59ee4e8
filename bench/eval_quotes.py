"""Score quotation finding, speaker attribution and entities on the annotated gold sets.

    .venv/bin/python bench/eval_quotes.py [GOLD.json ...] [--json] [--errors]

Same as `depeche evaluate`; kept here so the figures can be reproduced without the CLI.
"""

from __future__ import annotations

import sys

from pipeline.enrich.commands import main_evaluate

if __name__ == "__main__":
    sys.exit(main_evaluate(sys.argv[1:]))
