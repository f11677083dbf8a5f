"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`.

The process's one app is built with the cyclic garbage collector paused, then what start-up made is frozen out of
its way (gc.freeze). Importing the models, services and blueprints makes some 280,000 objects that live as long as
the process; CPython would walk every one of them at each full collection, several times while they are made and
once more at exit (about 0.5 s of a `flask --app wsgi report` run), and in every gunicorn worker after the fork.
Apps built elsewhere (the tests make many) are left to the collector: they become garbage.
"""

import gc

gc.disable()
try:
    from zi_public import create_app

    app = create_app()
finally:
    gc.enable()
gc.freeze()
