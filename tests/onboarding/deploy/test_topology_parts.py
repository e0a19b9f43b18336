"""The topology without its services: the nginx configuration it writes, its environment, a failed start."""

import subprocess
from pathlib import Path

import pytest

from onboarding.deploy.topology import Topology, TopologyError, free_port, nginx_config, nginx_path


def _config(tmp_path, **overrides):
    values = {
        "run_dir": tmp_path,
        "port": 8080,
        "pages_port": 9001,
        "live_port": 9002,
        "static_root": tmp_path / "static",
        "media_root": Path("/srv/media"),
    }
    return nginx_config(**{**values, **overrides})


def _block(config, start):
    """The text of the block that opens with ``start`` (up to its closing brace)."""
    begin = config.index(start)
    depth = 0
    for index in range(config.index("{", begin), len(config)):
        depth += {"{": 1, "}": -1}.get(config[index], 0)
        if depth == 0:
            return config[begin : index + 1]
    raise AssertionError(f"{start} is not closed")


def test_every_name_is_filled_in(tmp_path):
    config = _config(tmp_path)
    assert "{{" not in config and "}}" not in config


def test_nginx_listens_on_127_0_0_1_at_the_port(tmp_path):
    assert "listen 127.0.0.1:8080 " in _config(tmp_path)


def test_pages_go_to_gunicorn_and_sockets_to_uvicorn(tmp_path):
    config = _config(tmp_path)
    assert "server 127.0.0.1:9001;" in _block(config, "upstream velkommen_pages")
    assert "server 127.0.0.1:9002;" in _block(config, "upstream velkommen_live")
    assert "proxy_pass http://velkommen_pages;" in _block(config, "location / ")
    assert "proxy_pass http://velkommen_live;" in _block(config, "location /ws/")


def test_sockets_are_upgraded(tmp_path):
    live = _block(_config(tmp_path), "location /ws/")
    assert "proxy_http_version 1.1;" in live
    assert "proxy_set_header Upgrade $http_upgrade;" in live
    assert "proxy_set_header Connection $connection_upgrade;" in live


@pytest.mark.parametrize("location", ["location / ", "location /ws/"])
def test_the_app_learns_the_client_address_scheme_and_host(tmp_path, location):
    block = _block(_config(tmp_path), location)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
    # With the port, as the browser's Origin has it (the CSRF check compares them).
    assert "proxy_set_header Host $http_host;" in block


def test_static_and_media_files_are_served_by_nginx(tmp_path):
    config = _config(tmp_path)
    assert f"alias {tmp_path / 'static'}/;" in _block(config, "location /static/")
    assert "alias /srv/media/;" in _block(config, "location /media/")


def test_everything_nginx_writes_is_in_the_run_folder(tmp_path):
    config = _config(tmp_path)
    for directive in (
        "pid",
        "error_log",
        "access_log",
        "client_body_temp_path",
        "proxy_temp_path",
        "fastcgi_temp_path",
        "uwsgi_temp_path",
        "scgi_temp_path",
    ):
        lines = [line.strip() for line in config.splitlines() if line.strip().startswith(directive)]
        assert lines, directive
        paths = [line.split()[1] for line in lines if line.split()[1] != "off;"]
        assert all(path.startswith(str(tmp_path)) for path in paths), lines
    assert "daemon off;" in config


def test_the_workers_user_is_named_only_when_asked(tmp_path):
    assert "user " not in _config(tmp_path).split("events", 1)[0].replace("# ", "")
    assert "user root;" in _config(tmp_path, user="root")


def test_an_unknown_name_in_the_template_is_an_error(tmp_path):
    with pytest.raises(KeyError, match="nothing_like_this"):
        _config(tmp_path, template="listen {{ nothing_like_this }};")


@pytest.mark.skipif(nginx_path() is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx-temp" / temp).mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(_config(tmp_path))
    result = subprocess.run(
        [nginx_path(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_environment_is_production_on_the_topology_database(tmp_path):
    topology = Topology(
        run_dir=tmp_path,
        database_url="postgres://db/velkommen",
        redis_url="redis://cache/3",
        port=8123,
        extra_env={"LOG_LEVEL": "WARNING"},
    )
    env = topology.environment()
    assert env["DJANGO_SETTINGS_MODULE"] == "onboarding.settings.production"
    assert env["DATABASE_URL"] == "postgres://db/velkommen"
    assert env["REDIS_URL"] == "redis://cache/3"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["STATIC_ROOT"] == str(tmp_path / "static")
    assert env["LOG_LEVEL"] == "WARNING"
    assert topology.base_url == "http://127.0.0.1:8123"
    # The secret key is made once and kept in the run folder, unreadable to others.
    assert len(env["SECRET_KEY"]) > 40
    assert topology.environment()["SECRET_KEY"] == env["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_stop_without_start_is_harmless(tmp_path):
    topology = Topology(run_dir=tmp_path, database_url="", redis_url="")
    topology.stop()
    topology.stop()
    assert topology.status() == {}


@pytest.mark.skipif(nginx_path() is None, reason="nginx is not installed")
def test_a_start_that_fails_says_why_and_leaves_nothing_running(tmp_path):
    # Nothing listens on port 1: migrate fails before any server starts.
    topology = Topology(
        run_dir=tmp_path,
        database_url="postgres://postgres@127.0.0.1:1/nothing",
        redis_url="redis://127.0.0.1:1/0",
        port=free_port(),
    )
    with pytest.raises(TopologyError, match=r"migrate(, collectstatic)? failed") as failure:
        topology.start()
    assert "migrate.log" in str(failure.value)  # the log's tail comes with it
    assert topology.status() == {}
    assert not (tmp_path / "processes.json").exists()
