"""Third-party JavaScript comes from a package registry and is served locally, never from a CDN."""

from django.contrib.staticfiles import finders


def test_plotly_is_served_from_the_pip_package():
    path = finders.find("vendor/plotly.min.js")
    assert path and path.endswith("plotly/package_data/plotly.min.js")
    with open(path, encoding="utf-8") as handle:
        assert "plotly" in handle.read(2000).lower()


def test_collectstatic_copies_it_under_vendor():
    listed = [
        (storage.prefix, path)
        for finder in finders.get_finders()
        for path, storage in finder.list([])
        if path.endswith("plotly.min.js")
    ]
    assert listed == [("vendor", "plotly.min.js")]
