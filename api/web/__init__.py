"""The server-rendered web: one Jinja environment, one base layout, one stylesheet.

The public pages (`api.web.public`) and the staff workspace both render through
`api.web.rendering.render`, extend `templates/base.html` and are styled by
`static/loften.css`, which `mount_static` serves under `/static/`.
"""
