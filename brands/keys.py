"""`python -m brands.keys`: a new API key for a brand, and the digest its brand file stores.

A brand file never holds a production key, only its digest: `api_key_sha256` lists the lower-case
hex SHA-256 of each key's UTF-8 bytes (`brands.hash_key`), two while rotating. The API hashes the
bearer key of every request the same way and looks the digest up (`api.auth.KeyRing`).

    python -m brands.keys            # a fresh random key, and the brand file's line for it (also `make key`)
    python -m brands.keys hash       # the brand file's line for the keys read from standard input

Both print the line as the brand file holds it, `api_key_sha256: [<digest>, ...]`, ready to paste.

`hash` reads keys from standard input, one per line, never from the command line, so a key stays
out of the shell history and the process list: `printf '%s\\n' "$KEY" | python -m brands.keys hash`;
two keys (the old one, then the new one) give the line of a rotation.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence
from typing import TextIO

from brands import hash_key

KEY_BYTES = 32
"""Random bytes per key: 256 bits, written as 43 URL-safe characters."""
NEW_HINT = (
    "Give the key to the brand over a secure channel: it is printed once and stored nowhere. Add the\n"
    "digest to api_key_sha256 in the brand's file (keep the old key's digest there while rotating)."
)


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def brand_file_line(keys: Sequence[str]) -> str:
    """The `api_key_sha256` line of a brand file that accepts `keys`."""
    return f"api_key_sha256: [{', '.join(hash_key(key) for key in keys)}]\n"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m brands.keys", description=__doc__.splitlines()[0])
    p.add_argument(
        "command",
        nargs="?",
        choices=("new", "hash"),
        default="new",
        help="new (default): a random key and its digest; hash: the digest of each key on standard input",
    )
    return p


def hash_lines(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    keys = [line.strip() for line in stdin if line.strip()]
    if not keys:
        stderr.write("no key on standard input: printf '%s\\n' \"$KEY\" | python -m brands.keys hash\n")
        return 2
    stdout.write(brand_file_line(keys))
    return 0


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    args = parser().parse_args(argv)
    if args.command == "hash":
        return hash_lines(stdin, stdout, stderr)
    key = new_key()
    stdout.write(f"key: {key}\n{brand_file_line([key])}")
    stderr.write(NEW_HINT + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
