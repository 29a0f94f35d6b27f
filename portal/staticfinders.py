"""Serve JavaScript that ships inside Python packages as ordinary static files.

Plotly's PyPI package carries plotly.min.js; exposing it as /static/vendor/plotly.min.js means
`make run` needs no Node.js, pages load no CDN, and collectstatic copies it for whitenoise.
"""

import os

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _package_dir(module_name: str, *parts: str) -> str:
    module = __import__(module_name)
    return os.path.join(os.path.dirname(module.__file__), *parts)


# static path -> (package, directory inside it, file name)
VENDORED = {"vendor/plotly.min.js": ("plotly", ("package_data",), "plotly.min.js")}


class PackageAssetFinder(BaseFinder):
    def _locate(self, path):
        if path not in VENDORED:
            return None
        package, parts, name = VENDORED[path]
        full = os.path.join(_package_dir(package, *parts), name)
        return full if os.path.exists(full) else None

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        found = self._locate(path)
        if found is None:
            return [] if find_all else None
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for path, (package, parts, name) in VENDORED.items():
            directory = _package_dir(package, *parts)
            storage = FileSystemStorage(location=directory)
            storage.prefix = os.path.dirname(path)
            yield name, storage
