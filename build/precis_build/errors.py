class UserError(Exception):
    """A problem the user can fix (missing model, corrupt file, bad argument): the CLI
    prints the message on one line and exits with status 2."""
