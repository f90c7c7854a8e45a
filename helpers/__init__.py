"""Helpers for the course "Do convolution filters sum to one?"."""
