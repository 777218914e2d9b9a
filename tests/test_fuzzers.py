"""The atheris fuzzers in fuzz/ (search query parser, Markdown renderer), run for a bounded
number of inputs; and the same harness bodies fed by Hypothesis."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.site import REPO_ROOT, require_module

FUZZERS = ["fuzz_search_query", "fuzz_markdown"]
RUNS = 10_000
# Text that reaches the interesting corners: Markdown and query syntax, HTML, URLs, CJK.
TOKENS = st.sampled_from(
    ["-", '"', "*", "<script>", "](javascript:alert(1))", "[x](", "![i](http://e/x.png)", "`",
     "\n\n", "# ", "> ", "| a | b |\n|---|---|\n", "[^1]", "&#x6a;avascript:", "<a href=x>",
     "onerror=", "\x00", "\ud800", "民間借貸", "人民法院", "detention", " ", "\t", "%", "\\"]
)  # fmt: skip
INPUTS = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=30).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
)


def harness(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "fuzz" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", FUZZERS)
def test_the_atheris_fuzzer_finds_nothing(name: str, tmp_path) -> None:
    require_module("atheris")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "fuzz" / f"{name}.py"), f"-runs={RUNS}",
         "-max_total_time=120", "-max_len=512", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300, cwd=REPO_ROOT, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"Done {RUNS} runs" in output or "DONE" in output, output[-2000:]


@pytest.mark.parametrize("name", FUZZERS)
def test_the_harness_with_hypothesis(name: str) -> None:
    check = harness(name).check

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(INPUTS)
    def run(data: bytes) -> None:
        check(data)

    run()
