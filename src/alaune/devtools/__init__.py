"""Tools for developers and benchmarks (`alaune dev …`): never imported by the site or workers."""
