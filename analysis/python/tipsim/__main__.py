"""python3 -m tipsim export FILE --csv DIR | report FILE... --out report.html"""
from __future__ import annotations

import argparse
import sys

from . import FileError, open as open_file
from .export import export_csv


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tipsim",
                                     description="Export tipsim files and write reports.")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="write every table of a file as CSV")
    export.add_argument("file")
    export.add_argument("--csv", required=True, metavar="DIR", help="folder for the CSV files")
    report = sub.add_parser("report", help="write one self-contained HTML report")
    report.add_argument("files", nargs="+")
    report.add_argument("--out", "-o", required=True, metavar="HTML")
    report.add_argument("--base", help="the what-if set's base scenario (default: "
                        "no_programme if present, else the first)")
    report.add_argument("--window", metavar="FROM:TO",
                        help="a window the ensemble declared (default: its only one)")
    report.add_argument("--targets", help="targets file, to show the fit of a calibration "
                        "over an ensemble of its posterior")
    report.add_argument("--title")
    report.add_argument("--tipsim", metavar="EXE", help="the tipsim executable (default: "
                        "TIPSIM_EXE, PATH, or the build beside the package)")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            with open_file(args.file) as f:
                for path in export_csv(f, args.csv):
                    print(path)
        else:
            from .report import write
            print(write(args.files, args.out, base=args.base, window=args.window,
                        targets=args.targets, title=args.title, exe=args.tipsim))
    except FileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    except (KeyError, ValueError) as e:
        print(f"error: {e.args[0] if e.args else e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
