"""What the GPU scripts share about their JSON result: where it goes and how it is written.

The vault runners append nothing to a script's command line; they name the result file in the
environment variable VAULT_RESULT_JSON, which is the default of every script's --json-out.
"""
import json
import os
import tempfile

VARIABLE = "VAULT_RESULT_JSON"


def add_json_out_argument(parser):
    parser.add_argument("--json-out", default=os.environ.get(VARIABLE) or None,
                        help="write the JSON result to this file (default: $%s, else no file)" % VARIABLE)


def write_json_atomically(path, document, prefix):
    """Writes through a temporary file in the same directory, fsynced and renamed into place, so a
    reader (the runner, after an abort too) never sees half a result."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + prefix + "-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(document, f, indent=2, allow_nan=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
