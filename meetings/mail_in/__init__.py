"""Replies by email: calendar applications' iTIP replies, written answers,
automatic replies and bounces, taken from the inbound mailbox read by
``notifications.inbound`` through the handler in ``services``."""
