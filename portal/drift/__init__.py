"""The drift job: compares production inference logs with the reference sample, offline."""
