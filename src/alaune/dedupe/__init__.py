"""Near-duplicates: the same text under another URL or outlet, and wire copies with light edits.

`keys` turns a text into a fingerprint (a hash of its folded words and a MinHash signature of its
word 3-shingles), `index` keeps the recent fingerprints in a compact LSH index, and `match` says
whether a new article copies one of them. Pure: no database, no clock, no sockets.
"""
