"""What people can do: one module a use case, each on one transaction (a `Turn`)."""
