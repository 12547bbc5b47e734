"""Scripts that measure the platform (run by hand, never collected by pytest: no ``test_`` files)."""
