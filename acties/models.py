"""Integral action points (acties) come with their own issue; the app exists so the layout holds."""
