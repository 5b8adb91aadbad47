"""What a search query downloads, measured in Chromium: the search index files (term shards,
result data, meta) each query of the list fetched, from the browser's resource timing.

    python3 -m http.server 8767 --directory OUTPUT &      # any static server of a built site
    python3 bench/queries.py http://127.0.0.1:8767 "diffusion+model" "model+data+learning"

Needs Chromium, chromedriver and `pip install selenium`. The issue's budget: a query fetches
at most 300 KB."""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options


def main():
    options = Options()
    for arg in ["--headless=new", "--no-sandbox", "--window-size=1366,900"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    base = sys.argv[1].rstrip("/")
    for query in sys.argv[2:]:
        driver.get("about:blank")
        driver.get(f"{base}/search/?q={query}")
        for _ in range(200):
            shown = driver.execute_script("return document.querySelectorAll('#search-results .search-result').length")
            status = driver.execute_script("return (document.querySelector('.search-status') || {}).textContent || ''")
            if shown and status:
                break
            time.sleep(0.1)
        time.sleep(0.5)
        files = driver.execute_script(
            "return performance.getEntriesByType('resource')"
            ".filter(r => r.name.includes('/search/') && !r.name.endsWith('.js'))"
            ".map(r => [r.name.split('/search/')[1], r.encodedBodySize])")
        total = sum(size for _, size in files)
        terms = sum(size for name, size in files if name.startswith("idx/"))
        docs = sum(size for name, size in files if name.startswith("docs/"))
        print(f"{query!r:50} {len(files):3} files {total / 1000:5.0f} KB (terms {terms / 1000:.0f}, "
              f"results {docs / 1000:.0f}) | {status[:60]}")
    driver.quit()


if __name__ == "__main__":
    main()
