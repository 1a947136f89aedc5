"""Every query with a name, by subject; keyword-only functions the use cases call."""
