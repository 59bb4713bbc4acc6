"""The packaging backend (CPython): fetch and verify assets, build the precis wheel,
pack the extension, and the `precis` command line. Uses numpy; never shipped to the browser."""
