#!/usr/bin/env python3
"""Prints the first ```LANG block of a package README, so the install test
runs the example a user reads, from the installed package.

  python3 packaging/readme_example.py README.md c > sign.c
  python3 packaging/readme_example.py --metadata wxpay python > example.py   (a wheel's description)
"""

import re
import sys


def first_block(text: str, lang: str) -> str:
    found = re.search(rf"^```{re.escape(lang)}\n(.*?)^```", text, re.M | re.S)
    if not found:
        sys.exit(f"no ```{lang} block in the README")
    return found.group(1)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--metadata":
        from importlib.metadata import metadata

        text = metadata(sys.argv[2]).get_payload()  # the wheel's long description
        lang = sys.argv[3]
    elif len(sys.argv) == 3:
        with open(sys.argv[1], encoding="utf-8") as f:
            text = f.read()
        lang = sys.argv[2]
    else:
        sys.exit(__doc__)
    sys.stdout.write(first_block(text, lang))


if __name__ == "__main__":
    main()
