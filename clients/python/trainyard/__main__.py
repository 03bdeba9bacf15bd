"""``python -m trainyard sync``: upload runs that were logged offline."""
import sys

from trainyard._cli import main

sys.exit(main())
