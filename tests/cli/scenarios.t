# The built-in scenarios.

$ legation scenarios
~ us-russia-2025  US-Russia 2025

$ legation scenarios --json
~ "name": "us-russia-2025",

$ legation scenarios --json | head -1
[
