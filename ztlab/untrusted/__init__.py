"""Guards for input ztlab did not write: files of bounded size, JSON of bounded shape, and text made
safe to print on a terminal. Every reader of untrusted input goes through these, so one limit and one
message serve every command."""
