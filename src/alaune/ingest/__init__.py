"""The imperative shell: composes fetch, parse, extract and store into a crawl.

Only this package (with fetch and store) does I/O. Decisions about what to store are made by the
pure functions of `assemble`; `pipeline` moves data between the network, the stages and the store.
"""
