"""`ledgercheck serve`: the web page (and JSON API) for people who never open a command line."""

from __future__ import annotations

import dataclasses
import os
import secrets
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

import click

from ledgercheck.cli.common import (
    aliases_option,
    config_options,
    configured,
    debug_option,
    handle_errors,
    limit_option,
    options,
    rules_option,
    selection_options,
)
from ledgercheck.common.i18n import Text

MISSING = Text("网页功能需要安装可选组件：python -m pip install \"ledgercheck[web]\"（缺少 {module}）",
               "the web page needs the optional components: python -m pip install \"ledgercheck[web]\" "
               "(missing {module})")
PORT_TAKEN = Text("端口 {port} 已被占用：可能已经启动了一个 ledgercheck serve（请打开 {url}），或用 --port 换一个端口",
                  "port {port} is in use: perhaps ledgercheck serve is already running (open {url}), or choose "
                  "another with --port")
STARTED = Text("ledgercheck 网页已启动：{url}\n在浏览器中打开这个地址，上传台账即可检查。按 Ctrl+C 停止。",
               "ledgercheck is serving {url}\nOpen it in a browser and upload a ledger. Press Ctrl+C to stop.")
ACCESS = Text("访问码：{code}（其他电脑打开页面时需要输入；用 --access-code 指定自己的访问码）",
              "access code: {code} (asked of every visitor; choose your own with --access-code)")
VISIT = Text("局域网中的其他电脑请打开：{url}", "other computers on the office network open: {url}")
WHO = Text("本机和局域网中能访问 {host}:{port} 的电脑都可以打开；要在办公网以外使用，请通过单位的 HTTPS 反向代理",
           "reachable by every computer that can reach {host}:{port}; beyond the office network, put it behind "
           "the office's HTTPS reverse proxy")
STOPPING = Text("正在停止：等待进行中的{count}个检查完成（最多{seconds}秒）；再按一次 Ctrl+C 立即停止",
                "stopping: waiting for {count} audit(s) under way to finish (at most {seconds} s); press Ctrl+C "
                "again to stop at once")
DRAINED = Text("排队等待的{count}个检查不再进行，上传者会看到“服务器正在关闭”",
               "{count} audit(s) waiting in the queue will not run; their uploaders are told the server is "
               "shutting down")
ABORTING = Text("立即停止：进行中的检查已中止，上传者会看到“服务器正在关闭”", "stopping at once: the audits under way were "
                "stopped, and their uploaders are told the server is shutting down")
STOPPED = Text("ledgercheck 网页已停止；上传的台账和检查结果都已删除", "ledgercheck has stopped serving; the uploaded "
               "ledgers and their results were deleted")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread


def _size(value: str) -> int:
    from ledgercheck.common.limits import parse_value

    try:
        return parse_value("max_file_size", value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: 50MB, 200MB …") from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；0.0.0.0 让局域网中的其他电脑也能打开（此时需要访问码）/ address to listen on; 0.0.0.0 "
                   "serves the office network (an access code is then required)")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口 / port")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="同时检查几个台账（工作进程数）/ audits run at once (worker processes)")
@click.option("--queue", "queue_size", default=8, show_default=True, type=click.IntRange(0, 1000),
              help="排队等候的台账数，超过时页面提示稍后再试 / audits that may wait; beyond that the page says busy")
@click.option("--max-upload", default="50MB", show_default=True, metavar="SIZE",
              help="一次上传的大小上限 / largest upload")
@click.option("--time-limit", default="120s", show_default=True, metavar="DURATION",
              help="一次检查的时间上限 / longest an audit may take")
@click.option("--keep", default="1h", show_default=True, metavar="DURATION",
              help="上传的台账和结果保存多久后删除 / how long uploads and results are kept")
@click.option("--access-code", metavar="CODE",
              help="访问码；--host 不是本机地址时不指定则自动生成 / the code visitors enter; generated when --host is "
                   "not loopback")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open a browser")
@options(rules_option, selection_options, aliases_option, config_options)
@limit_option
@debug_option
@handle_errors
def serve(host: str, port: int, workers: int, queue_size: int, max_upload: str, time_limit: str, keep: str,
          access_code: str | None, no_browser: bool, debug: bool, **flags: Any) -> None:
    """打开检查台账的网页：在浏览器中上传台账、查看结果、下载标注副本 / serve the web page: upload a ledger in a
    browser, read the result, download the marked-up copy.

    例 example: ledgercheck serve（本机）；ledgercheck serve --host 0.0.0.0（办公室局域网）

    需要 / needs: python -m pip install "ledgercheck[web]"
    """
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.gcpause import end_startup

    end_startup()  # a server runs for long: the collector on (common/gcpause.py)

    for module in ("fastapi", "uvicorn", "jinja2", "python_multipart"):
        try:
            __import__(module)
        except ImportError:
            raise UsageError(MISSING.format(module=module)) from None
    from ledgercheck.web.config import ServeConfig, is_loopback, parse_seconds, visitors_host

    settings = _absolute(configured(**flags))
    lang = settings.lang
    code = access_code or (None if is_loopback(host) else "".join(secrets.choice(CODE_ALPHABET) for _ in range(8)))
    config = ServeConfig(settings, host, port, workers, queue_size, _size(max_upload), time_limit=parse_seconds(time_limit),
                         keep=parse_seconds(keep), access_code=code)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = _url(shown, port)
    _check_port(host, port, url)

    import logging

    import uvicorn

    from ledgercheck.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    app = create_app(config)
    # Never waiting without bound for an audit under way: its time limit, then uvicorn cancels the request.
    server = _stoppable(uvicorn.Config(app, host=host, port=port, access_log=False, server_header=False,
                                       log_level="warning", lifespan="on",
                                       timeout_graceful_shutdown=round(config.time_limit) + 10), app, lang)
    click.echo(STARTED.format(url=url)(lang), err=True)
    if code:
        click.echo(ACCESS.format(code=code)(lang), err=True)
    if not is_loopback(host):
        visitors = visitors_host(host)
        if visitors is not None and visitors != shown:
            click.echo(VISIT.format(url=_url(visitors, port))(lang), err=True)
        click.echo(WHO.format(host=host, port=port)(lang), err=True)
    if not no_browser and _desktop():
        threading.Thread(target=_open_when_ready, args=(server, url), daemon=True).start()
    server.run()
    click.echo(STOPPED(lang), err=True)


def _stoppable(config: Any, app: Any, lang: Any) -> Any:
    """uvicorn's server, stopped by Ctrl-C or SIGTERM as a person expects: the first waits for the audits under
    way (and says so), a second stops them at once. The signal is not raised again after the server has stopped
    (uvicorn's way), so the command ends with its own message instead of the audit's 'interrupted'."""
    import uvicorn

    pool = app.state.services.pool

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            if self.should_exit:
                if not pool.aborted:
                    click.echo(ABORTING(lang), err=True)
                    pool.abort()
                return
            self.should_exit = True
            waiting = pool.drain()  # answered now: waiting for them too could outlast the time limit many times
            running = pool.stats()["running"]
            if waiting:
                click.echo(DRAINED.format(count=waiting)(lang), err=True)
            if running:
                click.echo(STOPPING.format(count=running, seconds=round(pool.time_limit))(lang), err=True)

    return Server(config)


def _url(host: str, port: int) -> str:
    return f"http://{host if ':' not in host else f'[{host}]'}:{port}/"


def _absolute(settings: Any) -> Any:
    """Paths made absolute: the workers change into each upload's folder."""
    rules = settings.rules
    if Path(rules).exists():
        rules = str(Path(rules).resolve())
    return dataclasses.replace(settings, rules=rules, aliases=tuple(p.resolve() for p in settings.aliases),
                               waivers=settings.waivers.resolve() if settings.waivers else None)


def _check_port(host: str, port: int, url: str) -> None:
    from ledgercheck.common.errors import UsageError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise UsageError(PORT_TAKEN.format(port=port, url=url)) from None


def _desktop() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_when_ready(server: Any, url: str) -> None:
    import time

    for _ in range(600):
        if server.started:
            webbrowser.open(url)
            return
        time.sleep(0.1)
