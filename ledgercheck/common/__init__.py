"""Foundation shared by every stage: bilingual text, user errors, exit codes, limits, masking, timing."""
