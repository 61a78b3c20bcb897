"""The simulated BPI-R4 (the twin). See DESIGN.md "The simulator sits below the parsers"."""
