"""Pure rule functions (DESIGN §3): rows and settings in, verdicts out; nothing here imports Flask."""
