def register():
    """Pelican's entry point. The plugin is imported here, not when the package is:
    ``covers.batch`` must import without Pelican (``tools/run_pelican.py`` draws the
    covers after the build, in a process that never imports it)."""
    from .covers import register as register_covers

    register_covers()
