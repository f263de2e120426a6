"""The review of an audit: waivers, the baseline (rectification), and the policy that decides the exit code."""
