"""alaune's benchmarks: `make bench` (never run by CI). Numbers go to docs/benchmarks.md."""
