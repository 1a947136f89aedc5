"""The application: settings, assembly, CLI, server, scheduler, admission.

The one place that wires in handlers/.
"""
