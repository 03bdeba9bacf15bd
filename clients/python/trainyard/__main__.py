"""``python -m trainyard sync``: upload runs that were logged offline."""
import sys

from trainyard import main

sys.exit(main())
