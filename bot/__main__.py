import sys

from bot.cli.main import main

if __name__ == "__main__":  # worker processes import the main module again: run only once
    sys.exit(main())
