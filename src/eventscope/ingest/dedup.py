"""Near-duplicate articles (the same wire story re-run with small edits), found with
MinHash signatures and locality-sensitive hashing over word 3-shingles.

Near-duplicates are marked (``duplicate_of``), never dropped: an analyst may want both
outlets' versions. Exact copies are caught earlier, by the normalised-content hash.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..record import normalise_text

if TYPE_CHECKING:
    from ..store import Store

NUM_PERM = 128
# 32 bands of 4 rows: texts share a band with probability 1-(1-J^4)^32, which is over
# 0.98 from a Jaccard similarity J of 0.6 (the threshold checked on the signatures) and
# under 0.15 below 0.25, so few unrelated candidates need checking.
BANDS, ROWS = 32, 4
SHINGLE = 3
THRESHOLD = 0.6  # estimated Jaccard similarity above which a candidate is a near-duplicate


@lru_cache(maxsize=1)
def _minhash_class() -> Any:
    from datasketch import MinHash  # imports numpy and friends: only when ingesting

    return MinHash


def signature(text: str) -> bytes:
    """The MinHash signature of ``text``'s word 3-shingles (whitespace and case folded)."""
    words = normalise_text(text).split()
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash = _minhash_class()(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


def bands(sig: bytes) -> list[str]:
    """The LSH band keys of a signature: two texts that share one are candidates."""
    width = ROWS * 4
    return [
        f"{b:02d}:" + hashlib.blake2b(sig[b * width:(b + 1) * width], digest_size=8).hexdigest()
        for b in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal hash values)."""
    import numpy as np

    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.mean(left == right))


def near_duplicate_of(store: Store, text: str) -> tuple[str | None, bytes, list[str]]:
    """(id of the stored article ``text`` nearly repeats or None, its signature, its
    bands): what :meth:`Store.add` takes to mark and index it."""
    sig = signature(text)
    keys = bands(sig)
    original = next((article_id for article_id, other in store.similar_articles(keys)
                     if similarity(sig, other) >= THRESHOLD), None)
    return original, sig, keys
