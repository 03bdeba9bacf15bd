"""``python -m trainyard``: the command line (``sync``)."""
import argparse

from ._journal import sync


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m trainyard", description="Trainyard client tools.")
    commands = parser.add_subparsers(dest="command")
    p = commands.add_parser("sync", help="upload runs logged offline (safe to repeat)")
    p.add_argument("journals", nargs="*", help="journal files (default: every journal in <dir>/journal)")
    p.add_argument("--url", help="server URL (default: the one the run was logging to)")
    p.add_argument("--api-key", help="API key (default: TRAINYARD_API_KEY)")
    p.add_argument("--dir", help="state directory (default: TRAINYARD_DIR or ~/.trainyard)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to keep retrying an unreachable server")
    args = parser.parse_args(argv)
    if args.command != "sync":
        parser.print_help()
        return 2
    return 1 if sync(args.journals, url=args.url, api_key=args.api_key, dir=args.dir, budget=args.timeout) else 0
