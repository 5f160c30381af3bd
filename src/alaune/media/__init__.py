"""Images alaune stores and serves itself: sniffing, caps, resizing, thumbnails, pHash.

`process_image` turns downloaded bytes into what the store keeps (`StoredImage`), or refuses
them with `ImageRejected`; `phash`/`hamming` compare pictures; `serving_headers` and
`safe_filename` are what the web needs to serve them (SECURITY.md E1, E4). Pure: the worker
fetches through `alaune.fetch` and stores through `alaune.store`; nothing here does either.
"""

from alaune.media.images import (
    ImageLimits,
    ImageRejected,
    StoredImage,
    check_image,
    process_image,
)
from alaune.media.phash import SAME_PICTURE, hamming, phash
from alaune.media.serving import safe_filename, serving_headers
from alaune.media.sniff import sniff

__all__ = [
    "SAME_PICTURE",
    "ImageLimits",
    "ImageRejected",
    "StoredImage",
    "check_image",
    "hamming",
    "phash",
    "process_image",
    "safe_filename",
    "serving_headers",
    "sniff",
]
