"""Integration tests run twice: on SQLite and on PostgreSQL."""
import pytest

from tests.conftest import _backend


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, backends, tmp_path_factory):
    backend = _backend(backends, tmp_path_factory, request.param)
    url = backend.clone()
    yield url
    backend.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, backends, tmp_path_factory):
    backend = _backend(backends, tmp_path_factory, request.param)
    url = backend.empty_url()
    yield url
    backend.drop(url)
