"""The web interface under use: first token in the browser, memory after 20 questions, 4 users at once.

Usage (after `assistant ingest`; needs Debian's chromium):  python evals/bench_ui.py [--backend embedded]

Starts `assistant serve` on a free loopback port. A real browser (Playwright + /usr/bin/chromium) asks 10 gold
questions through the page and measures, per question, when the first words of the answer become visible
and when the verified answer is complete; it saves screenshots of both pages in `docs/`. Ten more questions
go through the `/answer` API, after which the server's resident memory is read from /proc. Then 4
`gradio_client` users ask 3 questions each at the same time. Results go to stdout and `evals/reports/ui.json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench_load import round_of, serving

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def browser_questions(url: str, questions: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url, wait_until="load")
        box = page.locator("label").filter(has_text="Stel een vraag").locator("textarea")
        copy_box = page.locator("label").filter(has_text="Antwoord met bronnen").locator("textarea")
        box.wait_for()
        for question in questions:
            bots = page.locator("[data-testid=bot]").count()
            copy = copy_box.input_value()
            box.fill(question)
            started = time.perf_counter()
            box.press("Enter")
            page.wait_for_function(
                """n => { const b = document.querySelectorAll('[data-testid=bot]');
                          return b.length > n && !['', '…'].includes(b[n].innerText.trim()); }""", arg=bots,
                timeout=120_000, polling=20)
            first = time.perf_counter() - started
            page.wait_for_function("([box, prev]) => box.value !== prev", arg=[copy_box.element_handle(), copy],
                                   timeout=120_000, polling=50)
            rows.append({"question": question, "first_visible_s": round(first, 2),
                         "complete_s": round(time.perf_counter() - started, 2)})
        shots = ROOT / "docs"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / "chat.png"), full_page=True)
        page.get_by_role("tab", name="Documenten").click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / "documents.png"))
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="embedded")
    args = parser.parse_args()
    gold = [json.loads(line) for line in (ROOT / "evals" / "gold.jsonl").read_text().splitlines() if line.strip()]
    answerable = [g["question"] for g in gold if not g["abstain"] and not g["follow_up_of"]]
    with serving(args.backend) as (url, pid):
        report: dict = {"backend": args.backend}
        rows = browser_questions(url, answerable[:10])
        firsts = [r["first_visible_s"] for r in rows]
        completes = [r["complete_s"] for r in rows]
        report["browser"] = {"questions": rows, "first_visible_p50_s": round(statistics.median(firsts), 2),
                             "complete_p50_s": round(statistics.median(completes), 2)}
        print(f"browser: first words visible p50 {report['browser']['first_visible_p50_s']} s, "
              f"complete p50 {report['browser']['complete_p50_s']} s", flush=True)

        from gradio_client import Client

        client = Client(url, verbose=False)
        for question in answerable[10:20]:
            client.predict(question, [], api_name="/answer")
        current, peak = rss_mb(pid)
        report["memory_after_20_questions_mb"] = {"rss": round(current), "peak": round(peak)}
        print(f"memory after 20 questions: RSS {current:.0f} MB, peak {peak:.0f} MB", flush=True)

        report["four_users"] = round_of(url, [answerable[20 + 3 * i : 23 + 3 * i] for i in range(4)])
        print(f"4 users x 3 questions: {report['four_users']}", flush=True)
    out = ROOT / "evals" / "reports" / "ui.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
