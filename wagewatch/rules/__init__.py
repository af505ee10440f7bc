"""Pure rule functions for R1–R5 (DESIGN §3): rows and settings in, verdicts out; no Flask."""
