"""The pure core: what a European micro-credential is, how it is written down, signed and checked.

Nothing in here does I/O beyond reading packaged data, reads the clock or keeps global state.
"""
