"""What an audit produces: findings, the audit result and its one serialization; reminders; scan summaries."""
