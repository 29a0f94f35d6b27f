"""Third-party JavaScript comes from a package registry and is served locally, never from a CDN."""

from django.contrib.staticfiles import finders


def test_plotly_is_served_from_the_pip_package():
    path = finders.find("vendor/plotly.min.js")
    assert path and path.endswith("plotly/package_data/plotly.min.js")
    with open(path, encoding="utf-8") as handle:
        assert "plotly" in handle.read(2000).lower()


def test_collectstatic_lists_it(settings):
    found = [p for finder in finders.get_finders() for p, _ in finder.list([]) if p.endswith("plotly.min.js")]
    assert found == ["plotly.min.js"] or any(p.endswith("plotly.min.js") for p in found)
