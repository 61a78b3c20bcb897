from .surface.cli import main

main()
