"""Where the official TEI P5 schemas come from: a path, an environment variable, or the user cache.

tei-cable does not ship the TEI Consortium's ``tei_all`` schema (1 MB, released on its own
schedule); it finds one the user provides, or downloads the pinned release once with
``tei-cable schema fetch`` (:func:`fetch_tei_all`) and checks it byte for byte against a SHA-256.

>>> find_tei_all(Path("/nowhere/tei_all.rng"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tei_cable.errors.SchemaError: /nowhere/tei_all.rng: the tei_all schema given explicitly does not exist...

This is the only module in tei-cable that touches the network, and only when asked to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from .errors import SchemaError
from .files import write_atomic

#: The official TEI P5 4.9.0 ``tei_all`` RELAX NG schema in the TEI Consortium's vault.
PINNED_URL = "https://www.tei-c.org/Vault/P5/4.9.0/xml/tei/custom/schema/relaxng/tei_all.rng"
#: SHA-256 of that file. It is the hash of the copy the project's tests run against
#: (``../shared/tei/tei_all_4.9.0.rng``), so a fetched schema is exactly the tested one.
PINNED_SHA256 = "7a18b359f214244ee406e5d4424707856cfca5536b3322202caed567a88070d2"
#: The file name the pinned schema gets in the cache (and the name :func:`find_tei_all` looks for).
PINNED_FILENAME = "tei_all_4.9.0.rng"
#: Environment variable naming a tei_all ``.rng`` file.
ENV_TEI_ALL = "TEI_CABLE_TEI_ALL"
#: Environment variable overriding the cache directory (tests and CI point it at a temp dir).
ENV_CACHE = "TEI_CABLE_CACHE"

#: Seconds to wait for the server; a schema download is 1 MB, so a stalled one is a failure.
FETCH_TIMEOUT = 60.0
#: Refuse to download more than this (tei_all is about 1 MB): a wrong URL must not fill the disk.
MAX_SCHEMA_BYTES = 32 * 1024 * 1024


def cache_dir() -> Path:
    """The user cache of tei-cable: ``$TEI_CABLE_CACHE``, else ``$XDG_CACHE_HOME/tei-cable``,
    else ``~/.cache/tei-cable``. Not created here: readers must not create directories."""
    explicit = os.environ.get(ENV_CACHE)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "tei-cable"
    return Path.home() / ".cache" / "tei-cable"


def schema_dir() -> Path:
    """Where :func:`fetch_tei_all` stores downloaded schemas."""
    return cache_dir() / "schemas"


def _how_to_provide() -> str:
    return (
        "provide the official TEI P5 tei_all RELAX NG schema in one of three ways: "
        f"(1) pass its path explicitly (--tei-all PATH); (2) set the environment variable {ENV_TEI_ALL} "
        f"to its path; (3) run `tei-cable schema fetch` once to download TEI P5 4.9.0 into {schema_dir()}"
    )


def find_tei_all(explicit: Path | None = None) -> Path:
    """The tei_all schema to validate against: ``explicit``, else ``$TEI_CABLE_TEI_ALL``, else the cache.

    An explicit path or environment variable that names a missing file is an error, not a
    reason to fall through to the next source: the user asked for that file and would otherwise
    be validated against something else without noticing.
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise SchemaError(
                f"the tei_all schema given explicitly does not exist or is not a file; {_how_to_provide()}",
                path=path,
            )
        return path
    from_env = os.environ.get(ENV_TEI_ALL)
    if from_env:
        path = Path(from_env).expanduser()
        if not path.is_file():
            raise SchemaError(
                f"{ENV_TEI_ALL} names a tei_all schema that does not exist or is not a file; "
                f"{_how_to_provide()}",
                path=path,
            )
        return path
    cached = schema_dir() / PINNED_FILENAME
    if cached.is_file():
        return cached
    raise SchemaError(f"no tei_all schema found; {_how_to_provide()}")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file (read whole: schemas are small)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _download(url: str) -> bytes:
    import urllib.error  # here, not at the top: only a fetch needs it, and it costs start-up time
    import urllib.request

    if not url.lower().startswith(("https://", "http://")):
        # urllib would also open file:// and ftp:// URLs; a schema fetch has no business there.
        raise SchemaError(f"refusing to fetch a schema from a non-HTTP(S) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "tei-cable (schema fetch)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            data: bytes = response.read(MAX_SCHEMA_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise SchemaError(f"cannot download the schema: HTTP {err.code} {err.reason} from {url}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise SchemaError(f"cannot download the schema from {url}: {reason}") from None
    if len(data) > MAX_SCHEMA_BYTES:
        raise SchemaError(f"refusing the download from {url}: larger than {MAX_SCHEMA_BYTES} bytes")
    return data


def fetch_tei_all(url: str = PINNED_URL, sha256: str = PINNED_SHA256, dest_dir: Path | None = None) -> Path:
    """Download tei_all, check its SHA-256, and store it atomically; return the stored path.

    The download is checked in memory before anything is written, so a mismatch leaves no file
    behind (and a stale file of the same name that does not match the hash is removed: it must not
    be found later by :func:`find_tei_all` as if the fetch had worked). The pinned release is stored
    as :data:`PINNED_FILENAME`, where :func:`find_tei_all` looks; any other schema under a name made
    from its hash, to be passed explicitly (``--tei-all`` or ``$TEI_CABLE_TEI_ALL``).
    """
    sha256 = sha256.strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise SchemaError(f"not a SHA-256 (64 hexadecimal digits): {sha256!r}")
    dest_dir = Path(dest_dir) if dest_dir is not None else schema_dir()
    name = PINNED_FILENAME if sha256 == PINNED_SHA256 else f"tei_all_{sha256[:16]}.rng"
    dest = dest_dir / name
    data = _download(url)
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        # Nothing was written. A file already at ``dest`` stays only if it is itself the expected
        # schema (an earlier good fetch); anything else there is stale or corrupt and goes.
        with contextlib.suppress(OSError):
            if dest.is_file() and sha256_file(dest) != sha256:
                dest.unlink()
        raise SchemaError(
            f"checksum mismatch for {url}: expected SHA-256 {sha256}, got {actual}; "
            "the file was not saved (a changed or corrupted schema would give different verdicts)"
        )
    try:
        write_atomic(dest, data, parents=True)
    except OSError as err:
        raise SchemaError(f"cannot write the schema: {err.strerror}", path=dest) from None
    return dest
