"""`python -m assistant.cli`: the `assistant` command, for when the console script is not on the PATH."""

from assistant.cli import cli

if __name__ == "__main__":
    cli()
