"""`python -m alaune` runs the command-line interface."""

from alaune.cli.main import main

main()
