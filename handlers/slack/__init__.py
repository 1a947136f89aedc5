"""Slack: Bolt listeners, Block Kit rendering and the Slack Messenger, over the same core."""
